/**
 * Every example in examples/ is a CDK app that users copy. Each one must:
 * - synthesize with aws-cdk-lib's built-in CloudFormation validation ON, errors not downgraded to warnings
 *   (an offline check that every resource type, property and attribute exists);
 * - match its committed snapshot (the whole-template regression test our users run in their pipelines);
 * - pass cdk-nag AwsSolutions with no unacknowledged error or warning;
 * - stay within CloudFormation's quotas in every stack, and the load balancer within its listener rules.
 * test/integration/determinism.test.ts proves that two processes give the same bytes.
 *
 * An example may be several stacks (a platform with `stackPerWorkload`): the stack the example class builds is
 * snapshotted whole; of the others, one of each kind (the same resource types) whole, and all by a digest of
 * their template, so that a change to any of them fails here while the snapshot file stays readable.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EXAMPLE_FILES, ExampleStackClass, stackClasses } from './example-stacks';
import { STACK_QUOTAS } from '../../src/private/stack-limits';

/** One plugin for the whole file: each instance costs seconds to start. */
const cloudFormationValidation = new CloudFormationValidatePlugin();

/** The ALB quota of listener rules per load balancer (default rules not counted). */
const MAX_LISTENER_RULES = 100;
/** Larger templates of the other stacks are snapshotted by digest only. */
const MAX_WHOLE_SNAPSHOT_BYTES = 100_000;

/** One synthesized stack of an example app. */
interface SynthesizedStack {
  readonly stackName: string;
  readonly template: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>; Outputs?: Record<string, unknown> };
  readonly bytes: string;
}

/** An example app, synthesized once. */
interface SynthesizedExample {
  readonly app: App;
  /** The stack the example class builds. */
  readonly stack: Stack;
  /** Every stack of the app, in deployment order, the example class's first. */
  readonly stacks: SynthesizedStack[];
  readonly messages: string[];
}

/** Synthesizes `StackClass` into a fresh directory with validation on. */
function synthesize(StackClass: ExampleStackClass): SynthesizedExample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-example-'));
  try {
    const app = new App({
      outdir,
      builtinCloudFormationValidation: true,
      context: { '@aws-cdk/core:validateAgainstDefaultRules': true },
    });
    Validations.of(app).addPlugins(cloudFormationValidation);
    const stack = new StackClass(app, 'Example');
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: { violations: unknown[] }) => r.violations)).toEqual([]);
    const artifacts = [...assembly.stacks].sort((a, b) => Number(b.id === stack.artifactId) - Number(a.id === stack.artifactId));
    const stacks = artifacts.map((artifact) => {
      const bytes = fs.readFileSync(path.join(assembly.directory, artifact.templateFile), 'utf8');
      return { stackName: artifact.stackName, template: JSON.parse(bytes), bytes };
    });
    // read from the assembly of this synthesis (validation on), for every stack of the app
    const messages = artifacts.flatMap((artifact) => artifact.messages)
      .filter((message) => message.level !== 'info')
      .map((message) => `${message.level} at ${message.id}: ${String(message.entry.data)}`);
    return { app, stack, stacks, messages };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The sorted resource types of a template: stacks of the same kind share them. */
function kindOf(stack: SynthesizedStack): string {
  return [...new Set(Object.values(stack.template.Resources ?? {}).map((resource) => resource.Type))].sort().join(',');
}

const previousValidation = process.env.CDK_VALIDATION;
beforeAll(() => { delete process.env.CDK_VALIDATION; });
afterAll(() => { process.env.CDK_VALIDATION = previousValidation; });

test('examples/ has examples', () => {
  expect(EXAMPLE_FILES).toContain('production-platform/platform.ts');
  for (const file of EXAMPLE_FILES) {
    expect(stackClasses(file).length).toBeGreaterThan(0);
  }
});

describe.each(EXAMPLE_FILES)('examples/%s', (file) => {
  describe.each(stackClasses(file))('%s', (_name, StackClass) => {
    let example: SynthesizedExample;
    beforeAll(() => { example = synthesize(StackClass); });

    test('synthesizes with CloudFormation validation on and matches its snapshot', () => {
      const [main, ...others] = example.stacks;
      expect(main.template).toMatchSnapshot();
      if (others.length === 0) return;
      const kinds = new Set<string>();
      const whole: Record<string, unknown> = {};
      for (const other of others) {
        const kind = kindOf(other);
        if (kinds.has(kind) || other.bytes.length > MAX_WHOLE_SNAPSHOT_BYTES) continue;
        kinds.add(kind);
        whole[other.stackName] = other.template;
      }
      expect(whole).toMatchSnapshot('one stack of each kind');
      expect(Object.fromEntries(others.map((other) =>
        [other.stackName, crypto.createHash('sha256').update(other.bytes).digest('hex')]))).toMatchSnapshot('digests of the other stacks');
    });

    test('has no AwsSolutions findings', () => {
      const report = new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(example.app);
      const findings = report.violations.map((v) => `${v.ruleName} (${v.severity}): ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect(findings).toEqual([]);
    });

    test('synthesizes with no warnings or errors (the capacity check passes)', () => {
      expect(example.messages).toEqual([]);
    });

    test('stays within the quotas of CloudFormation and of the load balancer', () => {
      const listenerRules = new Map<string, number>();
      for (const { stackName, template, bytes } of example.stacks) {
        const resources = Object.values(template.Resources ?? {});
        expect({ stackName, resources: resources.length <= STACK_QUOTAS.resources }).toEqual({ stackName, resources: true });
        expect({ stackName, outputs: Object.keys(template.Outputs ?? {}).length <= STACK_QUOTAS.outputs }).toEqual({ stackName, outputs: true });
        expect({ stackName, bytes: bytes.length <= STACK_QUOTAS.templateBytes }).toEqual({ stackName, bytes: true });
        for (const rule of resources.filter((resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule')) {
          // the listener, in this stack or imported: rules of one load balancer's listeners count together
          const listener = JSON.stringify(rule.Properties?.ListenerArn);
          listenerRules.set(listener, (listenerRules.get(listener) ?? 0) + 1);
        }
      }
      for (const [listener, count] of listenerRules) {
        expect({ listener, rules: count <= MAX_LISTENER_RULES }).toEqual({ listener, rules: true });
      }
    });
  });
});
