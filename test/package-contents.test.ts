import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { documentationFiles } from './markdown';

const root = path.join(__dirname, '..');

/** Everything a user of the package needs, and nothing else: the compiled library, its jsii assembly and its docs. */
const allowed: RegExp[] = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^API\.md$/,
  /^\.jsii$/,
  /^lib\/.+\.js$/,
  /^lib\/.+\.d\.ts$/,
  /^docs\//,
];

/** The paths `npm pack` would put in the tarball (dry run, no scripts: nothing is built or written). */
function packedPaths(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_offline: 'true' },
  });
  const [pack] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((file) => file.path).sort();
}

describe('npm package contents', () => {
  const paths = packedPaths();
  // lib/ and .jsii exist once the library is compiled: always so in `npm run build`, where jest runs after compile.
  const compiled = fs.existsSync(path.join(root, 'lib', 'index.js'));

  test('every packed path is on the allow-list', () => {
    expect(paths.filter((p) => !allowed.some((pattern) => pattern.test(p)))).toEqual([]);
  });

  test('nothing from the repository tooling leaks in', () => {
    expect(paths.filter((p) => /^(cdk\.out|\.ci|src|test|examples|bench|rosetta|coverage|test-reports|dist|\.github|\.projen)\//.test(p))).toEqual([]);
  });

  test('holds the documentation and the licence', () => {
    expect(paths).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'API.md', 'package.json']));
  });

  test('holds every page of docs/ that the README links to', () => {
    const pages = documentationFiles().filter((file) => file.startsWith('docs/'));
    expect(pages.length).toBeGreaterThan(0);
    expect(paths).toEqual(expect.arrayContaining(pages));
  });

  (compiled ? test : test.skip)('holds the compiled library and its jsii assembly', () => {
    expect(paths).toEqual(expect.arrayContaining(['lib/index.js', 'lib/index.d.ts', '.jsii']));
  });
});
