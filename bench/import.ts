/**
 * The cost of loading the library's entry point alone, against `require('aws-cdk-lib')` (issue 16: at most 20 ms
 * above aws-cdk-lib's own). Each measurement is a fresh node process that requires one thing and reports wall and CPU
 * time of that `require` (node's start-up excluded); the variants alternate, and the medians are printed.
 *
 *   node bench/out/bench/import.js [--rounds 20] [--entry lib/index.js]
 *
 * Variants:
 * - `aws-cdk-lib`: `require('aws-cdk-lib')`, stock's entry point (lazy: it loads its modules on first use).
 * - `library`: `require('<entry>')`, the package's entry point (lib/index.js, lazy since issue 16).
 * - `library + EcsPlatformStack`: the same, then `.EcsPlatformStack`: the modules a platform loads before it builds.
 * - `library, eager`: the part barrels (lib/cluster, lib/monitoring, …), which is what the entry point loaded before.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadAverage, machine, median } from './stats';

const VARIANTS = ['aws-cdk-lib', 'library', 'library + EcsPlatformStack', 'library, eager'] as const;
type ImportVariant = typeof VARIANTS[number];

interface ImportResult {
  readonly ms: number;
  readonly cpuMs: number;
  /** Files in require.cache after the require. */
  readonly modules: number;
}

/* eslint-disable @typescript-eslint/no-require-imports -- what the child measures is require() itself */
/** In the child: requires what the variant loads, and prints the time, CPU time and module count. */
function measureChild(variant: ImportVariant, entry: string): void {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  if (variant === 'aws-cdk-lib') {
    require('aws-cdk-lib');
  } else if (variant === 'library') {
    require(entry);
  } else if (variant === 'library + EcsPlatformStack') {
    void require(entry).EcsPlatformStack;
  } else {
    // the parts that src/index.ts exports (export * from each): what tsc's eager entry point required
    for (const part of ['cluster', 'monitoring', 'security', 'service', 'platform', 'platform-stack']) {
      require(path.join(path.dirname(entry), part));
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const result: ImportResult = { ms, cpuMs: (cpu.user + cpu.system) / 1000, modules: Object.keys(require.cache).length };
  process.stdout.write(JSON.stringify(result));
}
/* eslint-enable @typescript-eslint/no-require-imports */

function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
}

function main(args: string[]): void {
  const root = path.resolve(__dirname, '..', '..', '..');
  const entry = path.resolve(root, option(args, '--entry', 'lib/index.js'));
  if (args[0] === '--child') {
    measureChild(args[1] as ImportVariant, entry);
    return;
  }
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: compile first (npx projen compile)`);
  const rounds = Number(option(args, '--rounds', '20'));
  const results = new Map<ImportVariant, ImportResult[]>(VARIANTS.map((variant) => [variant, []]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of VARIANTS) {
      const out = execFileSync(process.execPath, [__filename, '--child', variant, '--entry', entry], { cwd: root, encoding: 'utf8' });
      results.get(variant)!.push(JSON.parse(out) as ImportResult);
    }
  }
  console.log(`Entry point: ${path.relative(root, entry)}; ${rounds} rounds, a fresh process each, alternating; `
    + `${machine()}; load average ${loadAverage()} at the end.`);
  console.log('');
  console.log('| variant | import ms (median) | CPU ms (median) | modules loaded | ms above aws-cdk-lib |');
  console.log('|---|---:|---:|---:|---:|');
  const stockMs = median(results.get('aws-cdk-lib')!.map((r) => r.ms));
  for (const [variant, rs] of results) {
    const ms = median(rs.map((r) => r.ms));
    console.log(`| ${variant} | ${ms.toFixed(1)} | ${median(rs.map((r) => r.cpuMs)).toFixed(1)} | ${median(rs.map((r) => r.modules))} | ${(ms - stockMs).toFixed(1)} |`);
  }
}

main(process.argv.slice(2));
