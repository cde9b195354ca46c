import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The repository's root. */
const root = path.join(__dirname, '..', '..', '..');

/** This repository's copy of a package, with symlinks resolved. */
const moduleDir = (name: string) => fs.realpathSync(path.join(root, 'node_modules', name));

/** Runs a command offline (npm may reach no registry) and returns its standard output. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', ...env },
  });
}

/** Where `installPackedLibrary()` put the tarball and the app. */
export interface InstalledPackage {
  /** The tarball `npm pack` wrote. */
  readonly tarball: string;
  /** The app's directory, with the package in its node_modules. */
  readonly app: string;
}

/**
 * Packs the compiled library with `npm pack` (as `npx projen package:js` does into dist/js/) and installs the tarball
 * into a new app below `scratch`, as the README tells users to. Offline: the app's peer dependencies, aws-cdk-lib and
 * constructs, are this repository's, and npm gets an empty cache, so nothing may come from a registry nor from what an
 * earlier install left behind.
 */
export function installPackedLibrary(scratch: string): InstalledPackage {
  if (!fs.existsSync(path.join(root, 'lib', 'index.js')) || !fs.existsSync(path.join(root, '.jsii'))) {
    throw new Error('lib/ is missing: compile first (`npx projen compile`); `npm run build` does it before the tests');
  }
  const packDir = path.join(scratch, 'pack');
  fs.mkdirSync(packDir);
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], root));
  const tarball = path.join(packDir, packed.filename);

  const app = path.join(scratch, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
    name: 'scratch-app',
    version: '1.0.0',
    private: true,
    dependencies: { 'aws-cdk-lib': `file:${moduleDir('aws-cdk-lib')}`, 'constructs': `file:${moduleDir('constructs')}` },
  }, undefined, 2));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--cache',
    path.join(scratch, 'npm-cache'), tarball], app);
  return { tarball, app };
}
