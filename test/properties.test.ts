/**
 * Property-based tests: random valid platforms synthesize cleanly; random invalid inputs fail with the library's
 * own error naming the prop, never a TypeError or an aws-cdk-lib internal error, and build nothing.
 *
 * Bounded and seeded, so CI is fast and a failure reproduces: fast-check prints the seed and the shrunk input.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, CloudFormationValidatePlugin, Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fc from 'fast-check';
import { AmiFamily, EcsPlatformStack, RouteMatch, TaskTrigger } from '../src';

const SEED = 20261125;
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

describe('random valid platforms', () => {
  const previousValidation = process.env.CDK_VALIDATION;
  beforeAll(() => { delete process.env.CDK_VALIDATION; });
  afterAll(() => { process.env.CDK_VALIDATION = previousValidation; });

  test('synthesize with CloudFormation validation, pass AwsSolutions and carry no synth warnings or errors', () => {
    fc.assert(fc.property(platformSpec, (spec) => {
      const stack = buildPlatform(spec);
      const assembly = (stack.node.root as App).synth();
      const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
      expect(report.pluginReports.flatMap((plugin: { violations: unknown[] }) => plugin.violations)).toEqual([]);
      const messages = assembly.getStackArtifact(stack.artifactId).messages
        .filter((message) => message.level !== 'info')
        .map((message) => `${message.id}: ${String(message.entry.data)}`);
      expect(messages).toEqual([]);
      const findings = new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(stack).violations;
      expect(findings.map((violation) => violation.ruleName)).toEqual([]);
      const template = assembly.getStackArtifact(stack.artifactId).template;
      expect(Object.keys(template.Resources).length).toBeGreaterThan(0);
      fs.rmSync(assembly.directory, { recursive: true, force: true });
    }), { seed: SEED, numRuns: 30 });
  });
});

/** One invalid input: a prop, a value outside what it allows, and how to build with it. */
interface InvalidCase {
  readonly prop: string;
  readonly build: (stack: EcsPlatformStack) => unknown;
}

const invalidCase: fc.Arbitrary<InvalidCase> = fc.oneof(
  fc.integer({ min: -100000, max: 127 }).map((cpu): InvalidCase => ({
    prop: 'cpu',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), cpu }),
  })),
  fc.integer({ min: 196609, max: 10_000_000 }).map((cpu): InvalidCase => ({
    prop: 'cpu',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), cpu }),
  })),
  fc.integer({ min: -1000, max: 0 }).map((maxCapacity): InvalidCase => ({
    prop: 'maxCapacity',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), maxCapacity }),
  })),
  fc.integer({ min: 65536, max: 1_000_000 }).map((containerPort): InvalidCase => ({
    prop: 'containerPort',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), containerPort }),
  })),
  fc.string({ minLength: 1, maxLength: 20 }).filter((healthCheckPath) => !healthCheckPath.startsWith('/')).map((healthCheckPath): InvalidCase => ({
    prop: 'healthCheckPath',
    build: (stack) => stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/x/*'), healthCheckPath }),
  })),
  fc.integer({ min: 1001, max: 100000 }).map((maxCapacity): InvalidCase => ({
    prop: 'maxCapacity',
    build: (stack) => stack.addCapacity('Extra', { maxCapacity }),
  })),
  fc.constantFrom('m7g.large', 'c7g.xlarge', 't4g.medium').map((instanceType): InvalidCase => ({
    prop: 'instanceType',
    build: (stack) => stack.addCapacity('Extra', { instanceType: new ec2.InstanceType(instanceType) }),
  })),
  fc.integer({ min: 0, max: 1 }).map((maxReceiveCount): InvalidCase => ({
    prop: 'maxReceiveCount',
    build: (stack) => stack.addQueueWorker('Worker', { image: IMAGE, maxReceiveCount: maxReceiveCount - 1 }),
  })),
  fc.constantFrom('0 3 * * * *', '61 * * * ? *', 'every day', '* * * * *').map((expression): InvalidCase => ({
    prop: 'trigger',
    build: (stack) => stack.addScheduledTask('Job', { image: IMAGE, trigger: TaskTrigger.cronExpression(expression) }),
  })),
);

describe('random invalid inputs', () => {
  test('fail with the library\'s own error naming the prop, and add nothing to the stack', () => {
    fc.assert(fc.property(invalidCase, (invalid) => {
      const stack = new EcsPlatformStack(new App(), 'Invalid', { monitoring: false, amiUpdateAlerts: false });
      const resources = () => stack.node.findAll().filter((construct) => CfnResource.isCfnResource(construct)).length;
      const before = resources();
      let error: unknown;
      try {
        invalid.build(stack);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('PlatformValidationError');
      expect((error as Error).message).toContain(`\`${invalid.prop}`);
      // a workload or capacity validates everything before it creates its first resource
      expect(resources()).toBe(before);
    }), { seed: SEED, numRuns: 200 });
  });
});
