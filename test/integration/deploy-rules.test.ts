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
import { sectionOf } from '../markdown';

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

  test('says at its top how it deploys: its prerequisites, then its stacks in the README\'s order', () => {
    const header = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8').split('*/')[0];
    const id = stackIdOf(file);
    expect(header).toContain('Deploy, following the README\'s "Deploying" steps');
    expect(header).toMatch(/- step 3, prerequisites:\n( \*   - .*\n( \*     `.*`\n)?)+/);
    const imagesStack = app.stacks.find((stack) => stack.stackName === `${id}-Images`);
    expect(header).toContain(imagesStack ? `- step 4: \`npx cdk deploy ${id}-Images\`; step 5: push ` : '- steps 4 and 5: none');
    expect(header).toContain('- step 6: `npx cdk deploy --all`.');
  });
});

test('the table of deploy rules in docs/deploying.md names every rule, and nothing else', () => {
  const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'deploying.md'), 'utf8');
  const table = sectionOf(page, 'What the tests prove before you deploy').split('\n\n').find((paragraph) => paragraph.startsWith('|')) ?? '';
  const named = [...table.matchAll(/^\| (.+?) \|/gm)].flatMap((row) => [...row[1].matchAll(/`([a-z0-9-]+)`/g)].map((match) => match[1]));
  expect(named.sort()).toEqual(DEPLOY_RULES.map((rule) => rule.id).sort());
});

test('the README\'s "Deploying" steps give the commands of a first deploy, in order', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const deploying = sectionOf(readme, 'Deploying');
  const steps = [...deploying.matchAll(/^(\d)\. \*\*(.+?)\*\*/gm)].map((match) => `${match[1]}. ${match[2]}`);
  expect(steps).toEqual(['1. Bootstrap', '2. Service-linked roles', '3. The example\'s prerequisites', '4. Deploy the images stack',
    '5. Push the images', '6. Deploy the platform', '7. Check']);
  const commands = ['npx cdk bootstrap', 'create-service-linked-role', 'npx cdk deploy EcsPlatform-Images', 'docker push', 'npx cdk deploy --all',
    'aws ecs describe-services'];
  const positions = commands.map((command) => deploying.indexOf(command));
  expect(positions.every((position) => position >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  expect(deploying).toContain('### First deploy');
});

test('docs/deploying.md has what follows a first deploy, and the README\'s "Deploying" links to each part', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const deploying = sectionOf(readme, 'Deploying');
  const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'deploying.md'), 'utf8');
  const sections = ['What the tests prove before you deploy', 'Protecting production from deletion', 'Updating', 'Rolling back', 'Destroying'];
  for (const section of sections) {
    expect(page.split('\n')).toContain(`## ${section}`);
    expect(deploying).toContain(`(docs/deploying.md#${section.toLowerCase().replace(/ /g, '-')})`);
  }
});
