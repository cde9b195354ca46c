/**
 * cfn-lint, CloudFormation's own linter (https://github.com/aws-cloudformation/cfn-lint, v1), over every stack of
 * every example: no error and no warning. It checks what aws-cdk-lib's built-in validation does not, such as
 * property values against each resource's schema, references across resources, and redundant `DependsOn` (W3005).
 *
 * cfn-lint is a Python program that takes about 2 s to start and about 0.4 s per template, so every template is
 * written first and then linted by as many cfn-lint processes as there are cores, each given a share of the
 * templates by size (large-fleet alone has 108 stacks). When cfn-lint is not on PATH, the tests are skipped
 * with a notice. CI installs it when its package is available (.ci/run).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { EXAMPLE_FILES, scenarioOf, stackClasses } from './example-stacks';

/** One finding of cfn-lint (`--format json`). */
interface CfnLintMatch {
  readonly Filename: string;
  readonly Level: string;
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: { readonly Start: { readonly LineNumber: number } };
}

/**
 * Findings that are known and owned elsewhere, each matched on its rule and message. Keep this list empty: an
 * entry stays only until the fix it names is merged, and the test below fails once an entry matches nothing.
 */
const PENDING: Array<{ readonly rule: string; readonly message: RegExp; readonly reason: string }> = [];

/** A template with a redundant `DependsOn`: proves that cfn-lint ran and that its findings are read. */
const CANARY = {
  Resources: {
    Topic: { Type: 'AWS::SNS::Topic' },
    Subscription: {
      Type: 'AWS::SNS::Subscription',
      DependsOn: 'Topic',
      Properties: { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: 'Topic' } },
    },
  },
};

const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const available = version.status === 0;
if (!available) {
  // eslint-disable-next-line no-console
  console.warn('SKIPPED test/integration/cfn-lint.test.ts: cfn-lint is not on PATH (Debian: apt-get install cfn-lint; elsewhere: pip install cfn-lint)');
}
const lintTest = available ? test : test.skip;

/** Runs one cfn-lint process over `files` (paths relative to `cwd`); resolves to its findings. */
function cfnLint(cwd: string, files: string[]): Promise<CfnLintMatch[]> {
  return new Promise((resolve, reject) => {
    // stdout to a file: this process synthesizes while cfn-lint runs, and must not leave a pipe full
    const outFile = path.join(cwd, `cfn-lint-${files.length}-${Math.random().toString(36).slice(2)}.json`);
    const out = fs.openSync(outFile, 'w');
    const child = spawn('cfn-lint', ['--format', 'json', '--', ...files], { cwd, stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      fs.closeSync(out);
      const text = fs.readFileSync(outFile, 'utf8');
      // exit code: a bit mask, 2 errors, 4 warnings, 8 informational; 1 is a failure of cfn-lint itself
      if (code === null || code % 2 === 1 || text.trim() === '') {
        reject(new Error(`cfn-lint exited with ${code}: ${stderr}${text}`));
        return;
      }
      resolve(JSON.parse(text));
    });
  });
}

/** `files` split into `count` groups of about the same number of bytes, the largest files first. */
function groupsBySize(cwd: string, files: string[], count: number): string[][] {
  const groups = Array.from({ length: count }, () => ({ bytes: 0, files: [] as string[] }));
  const sized = files.map((file) => ({ file, bytes: fs.statSync(path.join(cwd, file)).size }));
  for (const { file, bytes } of sized.sort((a, b) => b.bytes - a.bytes || a.file.localeCompare(b.file))) {
    const group = groups.reduce((least, next) => (next.bytes < least.bytes ? next : least));
    group.bytes += bytes;
    group.files.push(file);
  }
  return groups.filter((group) => group.files.length > 0).map((group) => group.files.sort());
}

/** The directory each example's stacks are synthesized into: one per stack class. */
function exampleDir(file: string, className: string): string {
  return `${scenarioOf(file)}-${className}`;
}

const describeLint = available ? describe : describe.skip;

describeLint('cfn-lint', () => {
  let root: string;
  let findings: CfnLintMatch[];
  let templateCount = 0;
  let seconds: { synth: number; lint: number } | undefined;

  beforeAll(async () => {
    const started = Date.now();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-cfn-lint-'));
    const templates: string[] = [];
    for (const file of EXAMPLE_FILES) {
      for (const [className, StackClass] of stackClasses(file)) {
        const dir = exampleDir(file, className);
        const app = new App({ outdir: path.join(root, dir) });
        new StackClass(app, 'Example');
        for (const stack of app.synth().stacks) templates.push(path.join(dir, stack.templateFile));
      }
    }
    fs.writeFileSync(path.join(root, 'canary.template.json'), JSON.stringify(CANARY, undefined, 1));
    templates.push('canary.template.json');
    const synthesized = Date.now();
    const groups = groupsBySize(root, templates, Math.max(1, os.availableParallelism()));
    findings = (await Promise.all(groups.map((group) => cfnLint(root, group)))).flat();
    seconds = { synth: (synthesized - started) / 1000, lint: (Date.now() - synthesized) / 1000 };
    templateCount = templates.length;
  }, 300_000);

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    if (seconds) console.log(`cfn-lint: ${templateCount} templates synthesized in ${seconds.synth.toFixed(1)} s, linted in ${seconds.lint.toFixed(1)} s`);
  });

  /** The findings in the templates under `dir`, as `file:line rule message`, pending ones left out. */
  function findingsUnder(dir: string): string[] {
    return findings
      .filter((match) => match.Filename.startsWith(`${dir}${path.sep}`))
      .filter((match) => !PENDING.some((pending) => pending.rule === match.Rule.Id && pending.message.test(match.Message)))
      .map((match) => `${match.Filename}:${match.Location.Start.LineNumber} ${match.Rule.Id} (${match.Level}) ${match.Message}`);
  }

  lintTest('reports the redundant DependsOn of the canary template (cfn-lint ran and its findings are read)', () => {
    expect(findings.filter((match) => match.Filename === 'canary.template.json').map((match) => match.Rule.Id)).toEqual(['W3005']);
  });

  lintTest('every pending finding still occurs (remove the entry once its fix is merged)', () => {
    for (const pending of PENDING) {
      const occurs = findings.some((match) => match.Rule.Id === pending.rule && pending.message.test(match.Message));
      expect({ pending: pending.message.source, occurs }).toEqual({ pending: pending.message.source, occurs: true });
    }
  });

  describe.each(EXAMPLE_FILES)('examples/%s', (file) => {
    lintTest.each(stackClasses(file).map(([className]) => className))('%s: no cfn-lint error or warning in any stack', (className) => {
      expect(findingsUnder(exampleDir(file, className))).toEqual([]);
    });
  });
});
