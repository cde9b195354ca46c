/**
 * The deploy rules (deploy-rules/) over every stack of every example, each example synthesized under the stack id
 * its own `app` gives it (as `cdk deploy` names its stacks): what ECS, ELB, KMS, Lambda, ECR, CloudWatch Logs and the
 * ECS agent accept at create, update, rollback and delete time, and on the instances, beyond CloudFormation's schema.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { DeployApp, deployAppOf } from './deploy-rules/deploy-rule';
import { DEPLOY_RULES } from './deploy-rules/index';
import { EXAMPLE_FILES, EXAMPLES_DIR, stackClasses } from './example-stacks';

/** The stack id an example's own app gives its stack: `new XStack(app, 'Id')`. */
function stackIdOf(file: string): string {
  const match = /new \w+\(app, '([^']+)'/.exec(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
  if (!match) throw new Error(`examples/${file} builds no stack in an app`);
  return match[1];
}

test('every rule cites the AWS documentation it encodes', () => {
  for (const rule of DEPLOY_RULES) {
    expect({ rule: rule.id, docs: rule.docs.length > 0 && rule.docs.every((url) => url.startsWith('https://docs.aws.amazon.com/')) })
      .toEqual({ rule: rule.id, docs: true });
  }
});

describe.each(EXAMPLE_FILES)('examples/%s', (file) => {
  let app: DeployApp;
  beforeAll(() => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-deploy-rules-'));
    try {
      const cdkApp = new App({ outdir });
      const [[, StackClass]] = stackClasses(file);
      new StackClass(cdkApp, stackIdOf(file));
      app = deployAppOf(file, cdkApp.synth());
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test.each(DEPLOY_RULES.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
    expect(rule.check(app)).toEqual([]);
  });
});
