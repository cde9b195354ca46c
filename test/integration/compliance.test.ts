/**
 * Every example in examples/ passes the four cdk-nag packs that DESIGN.md promises (AwsSolutions, NIST 800-53 R5,
 * HIPAA Security, PCI DSS 3.2.1) with no unacknowledged error. Each acknowledgement is made by the library on the
 * narrowest construct, with a reason, and listed in docs/cdk-nag.md (test/nag-acknowledgements.test.ts).
 *
 * Warnings do not fail a pack, as cdk-nag itself has it; the only ones the examples may have are listed in
 * KNOWN_WARNINGS, with the reason they stay, so a new one fails here and is looked at. test/integration/examples.test.ts
 * additionally holds the examples to no AwsSolutions warning at all.
 *
 * Each example is synthesized once (aspects and validations run) and the four packs read the same construct tree.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, PolicyViolation } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { EXAMPLE_FILES, ExampleStackClass, stackClasses } from './example-stacks';

/** The packs, by the name a test shows. */
const PACKS: Array<[string, () => NagPack]> = [
  ['AwsSolutions', () => new AwsSolutionsChecks(undefined, { verbose: false })],
  ['NIST 800-53 R5', () => new NIST80053R5Checks(undefined, { verbose: false })],
  ['HIPAA Security', () => new HIPAASecurityChecks(undefined, { verbose: false })],
  ['PCI DSS 3.2.1', () => new PCIDSS321Checks(undefined, { verbose: false })],
];

/**
 * Warnings that the examples are known to have, by rule (without the pack prefix), and why they stay. They are not
 * acknowledged, so users see them too.
 */
const KNOWN_WARNINGS: { readonly [rule: string]: string } = {
  VPCDefaultSecurityGroupClosed: 'Closing the default security group of the platform\'s VPC takes aws-cdk-lib\'s custom '
    + 'resource (restrictDefaultSecurityGroup): a Lambda function outside this library\'s control, with errors of its own in '
    + 'these packs. Nothing the platform creates uses the default security group.',
};

/**
 * Synthesizes the example's app once (in a directory removed afterwards), so that aspects and validations have
 * run: the packs then read every stack of it.
 */
function synthesize(StackClass: ExampleStackClass): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-compliance-'));
  try {
    const app = new App({ outdir });
    new StackClass(app, 'Example');
    app.synth();
    return app;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** `<rule id>: <construct paths>` of each violation. */
function describeViolations(violations: PolicyViolation[]): string[] {
  return violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
}

/** The rule without its pack prefix: `NIST.800.53.R5-VPCDefaultSecurityGroupClosed` → `VPCDefaultSecurityGroupClosed`. */
function ruleOf(ruleName: string): string {
  return ruleName.replace(/^(AwsSolutions|NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321)-/, '').replace(/\[.*\]$/, '');
}

const previousValidation = process.env.CDK_VALIDATION;
beforeAll(() => { delete process.env.CDK_VALIDATION; });
afterAll(() => { process.env.CDK_VALIDATION = previousValidation; });

describe.each(EXAMPLE_FILES)('examples/%s', (file) => {
  describe.each(stackClasses(file))('%s', (_name, StackClass) => {
    const violations = new Map<string, PolicyViolation[]>();
    beforeAll(() => {
      const app = synthesize(StackClass);
      for (const [pack, create] of PACKS) violations.set(pack, create().validateScope(app).violations);
    });

    test.each(PACKS.map(([pack]) => pack))('has no unacknowledged %s error', (pack) => {
      const errors = violations.get(pack)!.filter((v) => v.severity === 'error');
      expect(describeViolations(errors)).toEqual([]);
    });

    test.each(PACKS.map(([pack]) => pack))('has no %s warning but the known ones', (pack) => {
      const warnings = violations.get(pack)!.filter((v) => v.severity !== 'error' && !(ruleOf(v.ruleName) in KNOWN_WARNINGS));
      expect(describeViolations(warnings)).toEqual([]);
    });
  });
});
