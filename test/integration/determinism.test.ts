/**
 * Users snapshot-test our templates in their pipelines: every example must synthesize to the same bytes in two
 * separate processes writing to two separate directories (no dates, random values, machine paths or asset
 * hashes that depend on the run).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_FILES } from './example-stacks';

const ROOT = path.join(__dirname, '..', '..');

/** Runs test/support/synth-examples.ts in a child process that writes into `outdir`. */
function synthesizeInChildProcess(outdir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, 'support', 'synth-examples.ts'), outdir], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'examples', 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`synth-examples exited with ${code}: ${stderr}`))));
  });
}

/** Every template file under `dir`, by its path relative to `dir`. */
function templates(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.template.json')) found.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return found;
}

test('every example synthesizes to the same bytes in two processes and two directories', async () => {
  const first = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-determinism-a-'));
  const second = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-determinism-b-'));
  try {
    await Promise.all([synthesizeInChildProcess(first), synthesizeInChildProcess(second)]);
    const a = templates(first);
    const b = templates(second);
    expect(a.size).toBeGreaterThanOrEqual(EXAMPLE_FILES.length);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, bytes] of a) {
      expect({ file, bytes: b.get(file) }).toEqual({ file, bytes });
    }
  } finally {
    fs.rmSync(first, { recursive: true, force: true });
    fs.rmSync(second, { recursive: true, force: true });
  }
}, 240_000);
