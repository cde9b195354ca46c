/**
 * Random valid platforms (capacities, Spot, services, workers, jobs, and platform-wide choices such as monitoring and a
 * stack per workload) for the property tests properties-valid-*.test.ts: each one must synthesize with CloudFormation
 * validation, pass AwsSolutions and every deploy rule (deploy-rules/), and carry no warning. Bounded and seeded, so CI stays fast and a failure reproduces:
 * fast-check prints the seed and the shrunk input.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CloudFormationValidatePlugin, Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fc from 'fast-check';
import { AmiFamily, EcsPlatformStack, RouteMatch, TaskTrigger } from '../../../src';
import { deployAppOf } from '../deploy-rules/deploy-rule';
import { deployRuleViolations } from '../deploy-rules/index';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

/** Instance types of each architecture that the facts table knows, trunking limits included (m7i has none yet). */
const X86_TYPES = ['m6i.large', 'm6i.xlarge', 'm6i.2xlarge', 'c6i.xlarge', 'r6i.large', 'm5.xlarge'];
const ARM_TYPES = ['m7g.large', 'm7g.xlarge', 'c7g.xlarge', 'r7g.large', 'm6g.xlarge'];

interface ServiceSpec { readonly cpu: number; readonly memory: number; readonly maxCapacity: number }
interface PlatformSpec {
  readonly arm: boolean;
  readonly instanceType: string;
  readonly maxInstances: number;
  readonly spot: boolean;
  readonly services: ServiceSpec[];
  readonly workers: number;
  readonly jobs: number;
  /** Platform-wide choices: each one changes what the platform builds. */
  readonly maxAzs: number;
  readonly monitoring: boolean;
  readonly webAcl: boolean;
  readonly amiUpdateAlerts: boolean;
  readonly stackPerWorkload: boolean;
}

const serviceSpec: fc.Arbitrary<ServiceSpec> = fc.record({
  cpu: fc.constantFrom(256, 512, 1024),
  memory: fc.constantFrom(512, 1024, 2048),
  maxCapacity: fc.integer({ min: 2, max: 6 }),
});

const platformSpec: fc.Arbitrary<PlatformSpec> = fc.boolean().chain((arm) => fc.record({
  arm: fc.constant(arm),
  instanceType: fc.constantFrom(...(arm ? ARM_TYPES : X86_TYPES)),
  maxInstances: fc.integer({ min: 10, max: 40 }),
  spot: fc.boolean(),
  services: fc.array(serviceSpec, { minLength: 1, maxLength: 4 }),
  workers: fc.integer({ min: 0, max: 2 }),
  jobs: fc.integer({ min: 0, max: 2 }),
  maxAzs: fc.integer({ min: 2, max: 3 }),
  monitoring: fc.boolean(),
  webAcl: fc.boolean(),
  amiUpdateAlerts: fc.boolean(),
  stackPerWorkload: fc.boolean(),
}));

/** An instance type of the spec's architecture other than its own, for a Spot capacity's second choice. */
function otherType(spec: PlatformSpec): string {
  return (spec.arm ? ARM_TYPES : X86_TYPES).find((type) => type !== spec.instanceType)!;
}

/** One CloudFormation validation plugin for the file: each instance costs seconds to start. */
const cloudFormationValidation = new CloudFormationValidatePlugin();

/**
 * Builds a platform from a spec, with aws-cdk-lib's built-in CloudFormation validation on (errors not
 * downgraded); ENI trunking is declared, so the capacity check reasons about CPU and memory.
 */
function buildPlatform(spec: PlatformSpec): EcsPlatformStack {
  const app = new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-property-')),
    builtinCloudFormationValidation: true,
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true },
  });
  Validations.of(app).addPlugins(cloudFormationValidation);
  const stack = new EcsPlatformStack(app, 'Property', {
    certificateArn: CERTIFICATE_ARN,
    awsvpcTrunking: true,
    maxAzs: spec.maxAzs,
    monitoring: spec.monitoring,
    webAcl: spec.webAcl,
    amiUpdateAlerts: spec.amiUpdateAlerts,
    stackPerWorkload: spec.stackPerWorkload,
    capacity: {
      amiFamily: spec.arm ? AmiFamily.AMAZON_LINUX_2023_ARM64 : AmiFamily.AMAZON_LINUX_2023,
      instanceType: new ec2.InstanceType(spec.instanceType),
      maxCapacity: spec.maxInstances,
      spot: spec.spot ? {} : undefined,
      additionalInstanceTypes: spec.spot ? [new ec2.InstanceType(otherType(spec))] : undefined,
    },
  });
  spec.services.forEach((service, index) => {
    stack.addWebService(`Service${index}`, {
      image: IMAGE,
      route: RouteMatch.pathPatterns(`/service-${index}/*`),
      cpu: service.cpu,
      memoryLimitMiB: service.memory,
      maxCapacity: service.maxCapacity,
    });
  });
  for (let index = 0; index < spec.workers; index++) {
    stack.addQueueWorker(`Worker${index}`, { image: IMAGE, maxCapacity: 3, jobTimeout: Duration.minutes(2 + index) });
  }
  for (let index = 0; index < spec.jobs; index++) {
    stack.addScheduledTask(`Job${index}`, { image: IMAGE, trigger: TaskTrigger.rate(Duration.hours(index + 1)) });
  }
  return stack;
}

/**
 * Declares the tests: `numRuns` random valid platforms from `seed`, each in an app of its own, with aws-cdk-lib's
 * built-in CloudFormation validation on (`CDK_VALIDATION` unset for the block).
 */
export function describeRandomValidPlatforms(seed: number, numRuns: number): void {
  describe(`random valid platforms (seed ${seed})`, () => {
    const previousValidation = process.env.CDK_VALIDATION;
    beforeAll(() => { delete process.env.CDK_VALIDATION; });
    afterAll(() => { process.env.CDK_VALIDATION = previousValidation; });

    test(`${numRuns} synthesize with CloudFormation validation, pass AwsSolutions and carry no synth warnings or errors`, () => {
      checkRandomValidPlatforms(seed, numRuns);
    });
  });
}

/**
 * Checks that every stack of each random platform synthesizes with CloudFormation validation (errors not
 * downgraded), carries no warning and passes AwsSolutions.
 */
function checkRandomValidPlatforms(seed: number, numRuns: number): void {
  fc.assert(fc.property(platformSpec, (spec) => {
    const stack = buildPlatform(spec);
    const app = stack.node.root as App;
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((plugin: { violations: unknown[] }) => plugin.violations)).toEqual([]);
    // every stack: the platform's, and with stackPerWorkload one per workload
    expect(assembly.stacks).toHaveLength(1 + (spec.stackPerWorkload ? spec.services.length + spec.workers + spec.jobs : 0));
    const messages = assembly.stacks.flatMap((artifact) => artifact.messages)
      .filter((message) => message.level !== 'info')
      .map((message) => `${message.id}: ${String(message.entry.data)}`);
    expect(messages).toEqual([]);
    const findings = new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(app).violations;
    expect(findings.map((violation) => violation.ruleName)).toEqual([]);
    for (const artifact of assembly.stacks) expect(Object.keys(artifact.template.Resources).length).toBeGreaterThan(0);
    expect(deployRuleViolations(deployAppOf(JSON.stringify(spec), assembly))).toEqual([]);
    fs.rmSync(assembly.directory, { recursive: true, force: true });
  }), { seed, numRuns });
}
