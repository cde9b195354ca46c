import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * What the README's "Use it in your app" promises before the package is published: a local build, packed with
 * `npm pack`, installs with `npm install <tarball>` into an app and synthesizes the quick start. Offline: the app's
 * aws-cdk-lib and constructs are linked to this repository's, so npm needs no registry.
 */
const root = path.join(__dirname, '..', '..');
const moduleDir = (name: string) => fs.realpathSync(path.join(root, 'node_modules', name));

/** The README's whole-platform quick start, as plain JavaScript that loads the package by its name. */
const quickStart = `
const { App } = require('aws-cdk-lib');
const { EcsPlatformStack, RouteMatch } = require('cdk-ecs-platform');

const app = new App();
const platform = new EcsPlatformStack(app, 'EcsPlatform', {
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  opsEmailAddresses: ['oncall@example.com'],
});
const images = platform.addImageRepository('ApiImages');
platform.addWebService('Api', {
  image: images.image('1.4.2'),
  route: RouteMatch.pathPatterns('/api/*'),
});
app.synth();
`;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', ...env },
  });
}

describe('a local build installed into an app', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-app-'));
  });

  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('npm install <tarball> and node app.js synthesize the README quick start', () => {
    if (!fs.existsSync(path.join(root, 'lib', 'index.js')) || !fs.existsSync(path.join(root, '.jsii'))) {
      throw new Error('lib/ is missing: compile first (`npx projen compile`); `npm run build` does it before the tests');
    }

    // npm pack, as `npx projen package:js` does into dist/js/
    const packDir = path.join(scratch, 'pack');
    fs.mkdirSync(packDir);
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], root));
    const tarball = path.join(packDir, packed.filename);
    expect(fs.existsSync(tarball)).toBe(true);

    // the app: its peer dependencies come from this repository, so that the install never reaches a registry
    const app = path.join(scratch, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
      name: 'scratch-app',
      version: '1.0.0',
      private: true,
      dependencies: { 'aws-cdk-lib': `file:${moduleDir('aws-cdk-lib')}`, 'constructs': `file:${moduleDir('constructs')}` },
    }, undefined, 2));
    // an empty npm cache as well: nothing may come from a registry, nor from what an earlier install left behind
    const cache = path.join(scratch, 'npm-cache');
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--cache', cache, tarball], app);

    const installed = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'cdk-ecs-platform', 'package.json'), 'utf8'));
    expect(installed.name).toBe('cdk-ecs-platform');
    expect(fs.lstatSync(path.join(app, 'node_modules', 'cdk-ecs-platform')).isSymbolicLink()).toBe(false);

    // plain node, no ts-node, no jest module mapping: what a user's `cdk synth` runs
    fs.writeFileSync(path.join(app, 'app.js'), quickStart);
    const outdir = path.join(scratch, 'cdk.out');
    run(process.execPath, ['app.js'], app, { CDK_OUTDIR: outdir, CDK_VALIDATION: 'false' });

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
    // addImageRepository puts the repository in a stack of its own, deployed first
    expect(resourceTypes('EcsPlatform-Images')).toContain('AWS::ECR::Repository');
  }, 90_000);
});
