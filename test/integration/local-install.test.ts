import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { codeBlocks, sectionOf } from '../markdown';
import { installPackedLibrary, run } from './support/installed-package';

/**
 * What the README's "Use it in your app" promises before the package is published: a local build, packed with
 * `npm pack`, installs with `npm install <tarball>` into an app and runs the README's quick start as it is written
 * there. Offline: the app's aws-cdk-lib and constructs are linked to this repository's, so npm needs no registry.
 */
const root = path.join(__dirname, '..', '..');

/** The README's quick start, unchanged: the first TypeScript block after "## Quick start". */
function readmeQuickStart(): string {
  const section = sectionOf(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), 'Quick start');
  const block = codeBlocks(section).find((candidate) => candidate.language === 'ts');
  if (!block) throw new Error('the README\'s "Quick start" has no ```ts block');
  return `${block.code}\n`;
}

describe('a local build installed into an app', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-app-'));
  });

  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('npm install <tarball>, then the README\'s quick start, compiled as written, synthesizes with node', () => {
    const { tarball, app } = installPackedLibrary(scratch);
    expect(fs.existsSync(tarball)).toBe(true);

    const installed = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'cdk-ecs-platform', 'package.json'), 'utf8'));
    expect(installed.name).toBe('cdk-ecs-platform');
    expect(fs.lstatSync(path.join(app, 'node_modules', 'cdk-ecs-platform')).isSymbolicLink()).toBe(false);

    // the quick start as the README has it, compiled to CommonJS by TypeScript alone (no ts-node, no jest module
    // mapping), then plain node, as a user's `cdk synth` runs it: the CLI passes the output directory in CDK_OUTDIR
    const quickStart = readmeQuickStart();
    fs.writeFileSync(path.join(app, 'app.ts'), quickStart);
    const compiled = ts.transpileModule(quickStart, {
      fileName: 'app.ts',
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    expect(compiled.diagnostics ?? []).toEqual([]);
    fs.writeFileSync(path.join(app, 'app.js'), compiled.outputText);
    const outdir = path.join(scratch, 'cdk.out');
    run(process.execPath, ['app.js'], app, { CDK_OUTDIR: outdir, CDK_VALIDATION: 'false' });

    // the stacks the quick start builds, and nothing else: the platform, and its images stack deployed first
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    const stacks = Object.entries(manifest.artifacts as Record<string, { type: string }>)
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack').map(([id]) => id).sort();
    expect(stacks).toEqual(['EcsPlatform', 'EcsPlatform-Images']);

    const resourceTypes = (stack: string) => {
      const template = JSON.parse(fs.readFileSync(path.join(outdir, `${stack}.template.json`), 'utf8'));
      return Object.values(template.Resources as Record<string, { Type: string }>).map((resource) => resource.Type);
    };
    expect(resourceTypes('EcsPlatform')).toEqual(expect.arrayContaining([
      'AWS::ECS::Cluster',
      'AWS::AutoScaling::AutoScalingGroup',
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::ECS::TaskDefinition',
      'AWS::ECS::Service',
    ]));
    // its two web services, Api and Web
    expect(resourceTypes('EcsPlatform').filter((type) => type === 'AWS::ECS::Service')).toHaveLength(2);
    // addImageRepository puts the repository in a stack of its own, deployed first
    expect(resourceTypes('EcsPlatform-Images')).toContain('AWS::ECR::Repository');
  }, 90_000);
});
