/**
 * Every example in examples/ is a CDK app that users copy. Each one must:
 * - synthesize with aws-cdk-lib's built-in CloudFormation validation ON, errors not downgraded to warnings
 *   (an offline check that every resource type, property and attribute exists);
 * - match its committed snapshot (the whole-template regression test our users run in their pipelines);
 * - pass cdk-nag AwsSolutions with no unacknowledged error or warning;
 * - give byte-identical templates when synthesized twice.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EXAMPLE_FILES, ExampleStackClass, stackClasses } from './example-stacks';

/** One plugin for the whole file: each instance costs seconds to start. */
const cloudFormationValidation = new CloudFormationValidatePlugin();

/** Synthesizes `StackClass` into a fresh directory with validation on; returns the template's bytes. */
function synthesize(StackClass: ExampleStackClass): { stack: Stack; templateBytes: string; messages: string[] } {
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
    const templateBytes = fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8');
    // read from the assembly: Annotations.fromStack() would synthesize again, which aws-cdk-lib's ecs.Cluster does not survive
    const messages = assembly.getStackArtifact(stack.artifactId).messages
      .filter((message) => message.level !== 'info')
      .map((message) => `${message.level} at ${message.id}: ${String(message.entry.data)}`);
    return { stack, templateBytes, messages };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const previousValidation = process.env.CDK_VALIDATION;
beforeAll(() => { delete process.env.CDK_VALIDATION; });
afterAll(() => { process.env.CDK_VALIDATION = previousValidation; });

test('examples/ has examples', () => {
  expect(EXAMPLE_FILES).toContain('production-platform.ts');
  for (const file of EXAMPLE_FILES) {
    expect(stackClasses(file).length).toBeGreaterThan(0);
  }
});

describe.each(EXAMPLE_FILES)('examples/%s', (file) => {
  describe.each(stackClasses(file))('%s', (_name, StackClass) => {
    let first: ReturnType<typeof synthesize>;
    beforeAll(() => { first = synthesize(StackClass); });

    test('synthesizes with CloudFormation validation on and matches its snapshot', () => {
      expect(JSON.parse(first.templateBytes)).toMatchSnapshot();
    });

    test('has no AwsSolutions findings', () => {
      const report = new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(first.stack);
      const findings = report.violations.map((v) => `${v.ruleName} (${v.severity}): ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect(findings).toEqual([]);
    });

    test('synthesizes with no warnings or errors (the capacity check passes)', () => {
      expect(first.messages).toEqual([]);
    });

    test('synthesizes to the same bytes twice', () => {
      expect(synthesize(StackClass).templateBytes).toEqual(first.templateBytes);
    });
  });
});
