/**
 * Synth benchmark: this library's `EcsPlatformStack` against the same platform hand-wired with stock aws-cdk-lib
 * (`stock-platform.ts`), by number of services: synth wall time, peak memory, resource count and template size.
 *
 * Not a test: run it by hand or in a perf job, on compiled JavaScript:
 *   npx projen bench                                            (compiles bench/ into bench/out/, then runs this)
 *   node bench/out/bench/synth.js --sizes 1,5,20 --rounds 3     (after a compile, to choose sizes and rounds)
 *   node bench/out/bench/synth.js --json bench/out/results.json (also writes every measurement)
 *   node bench/out/bench/synth.js --no-monitoring               (the library without its alarms and dashboard)
 *   node bench/out/bench/synth.js --stack-per-workload          (the library with a stack per service; sums over its stacks)
 *   node bench/out/bench/synth.js --lean                        (the library without monitoring, web ACL and AMI alerts)
 *
 * Each measurement is one fork of `worker.js`, which builds and synthesizes one platform once, in a fresh process,
 * so that memory peaks are that synthesis's own and every run is as cold as `cdk synth`. The two platforms
 * alternate (library, stock, then stock, library, …) and every round measures every size, so that machine noise and
 * drift hit both alike; medians are reported, with the spread of the rounds.
 */
import { fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseFlags, roundsFrom } from './cli';
import { BuildOptions } from './common';
import { fixed, loadAverage, machine, median, relativeSpread } from './stats';
import { peakHeapFromGcTrace, Variant, VARIANTS, WorkerResult, workerArgs } from './worker';

const DEFAULT_SIZES = [1, 5, 10, 20, 50, 100];
const DEFAULT_ROUNDS = 5;
/**
 * The targets of issue 16, library / stock at these sizes: time and peak memory at most 1.0 lean (or without monitoring)
 * and 1.25 with the library's defaults; per added service at most 1.2 (the slope). Also time(100)/time(10) at most 11.
 */
const RATIO_TARGET_LEAN = 1.0;
const RATIO_TARGET_DEFAULTS = 1.25;
const RATIO_TARGET_SIZES = [20, 100];
const PER_SERVICE_TARGET = 1.2;
const LINEARITY_FROM = 10;
const LINEARITY_TO = 100;
const LINEARITY_TARGET = 11;

interface Options {
  readonly sizes: number[];
  readonly rounds: number;
  readonly json?: string;
  readonly build: BuildOptions;
}

/** The medians of one variant at one size. */
interface Summary {
  readonly variant: Variant;
  readonly services: number;
  readonly totalMs: number;
  /** Half the interquartile range of the rounds' wall times, relative to their median: the noise of `totalMs`. */
  readonly totalSpread: number;
  readonly cpuMs: number;
  readonly importMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly baseHeapMiB: number;
  readonly peakHeapMiB: number;
  readonly liveHeapMiB: number;
  readonly maxRssMiB: number;
  readonly constructs: number;
  readonly resources: number;
  readonly templateKiB: number;
  readonly resourceTypes: Record<string, number>;
}

function parseOptions(argv: string[]): Options {
  let sizes = DEFAULT_SIZES;
  let rounds = DEFAULT_ROUNDS;
  let json: string | undefined;
  let libraryMonitoring = true;
  let libraryStackPerWorkload = false;
  let libraryLean = false;
  parseFlags(argv, 'node bench/out/bench/synth.js [--sizes 1,5,10,20,50,100] [--rounds 5] [--json results.json] [--no-monitoring] [--stack-per-workload] [--lean]', {
    '--sizes': (value) => {
      sizes = value().split(',').map((size) => Number(size.trim()));
      if (sizes.some((size) => !Number.isInteger(size) || size < 0)) throw new Error(`--sizes must be integers ≥ 0, such as 1,5,20, got: ${sizes}`);
      sizes = [...new Set(sizes)].sort((a, b) => a - b);
    },
    '--rounds': (value) => { rounds = roundsFrom(value()); },
    '--json': (value) => { json = value(); },
    '--no-monitoring': () => { libraryMonitoring = false; },
    '--stack-per-workload': () => { libraryStackPerWorkload = true; },
    '--lean': () => { libraryLean = true; },
  });
  return { sizes, rounds, json, build: { libraryMonitoring, libraryStackPerWorkload, libraryLean } };
}

function runWorker(variant: Variant, services: number, build: BuildOptions): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    // --trace-gc prints each collection to the worker's stdout, which is piped here to find the exact heap peak
    const child = fork(path.join(__dirname, 'worker.js'), workerArgs(variant, services, build), {
      execArgv: ['--expose-gc', '--trace-gc'],
      env: { ...process.env, CDK_VALIDATION: 'false' },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let result: WorkerResult | undefined;
    let trace = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { trace += chunk; });
    child.on('message', (message) => { result = message as WorkerResult; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && result) resolve({ ...result, peakHeapUsedBytes: Math.max(result.peakHeapUsedBytes, peakHeapFromGcTrace(trace)) });
      else reject(new Error(`worker ${variant} ${services} exited with code ${code}`));
    });
  });
}

const MiB = 2 ** 20;

function summarize(results: WorkerResult[]): Summary {
  const pick = (f: (r: WorkerResult) => number) => median(results.map(f));
  return {
    variant: results[0].variant,
    services: results[0].services,
    totalMs: pick((r) => r.totalMs),
    totalSpread: relativeSpread(results.map((r) => r.totalMs)),
    cpuMs: pick((r) => r.cpuMs),
    importMs: pick((r) => r.importMs),
    buildMs: pick((r) => r.buildMs),
    synthMs: pick((r) => r.synthMs),
    baseHeapMiB: pick((r) => r.baseHeapUsedBytes) / MiB,
    peakHeapMiB: pick((r) => r.peakHeapUsedBytes) / MiB,
    liveHeapMiB: pick((r) => r.liveHeapBytes) / MiB,
    maxRssMiB: pick((r) => r.maxRssBytes) / MiB,
    constructs: pick((r) => r.constructs),
    resources: pick((r) => r.resources),
    templateKiB: pick((r) => r.templateBytes) / 1024,
    resourceTypes: results[0].resourceTypes,
  };
}

/** Least-squares slope of `y` over the sizes: the cost of one more service. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxx = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  const sxy = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

const ratio = (library: number, stock: number) => fixed(library / stock, 2);

function printTables(options: Options, summaries: Map<string, Summary>, loadAverages: string[]): void {
  const get = (variant: Variant, services: number) => summaries.get(`${variant}:${services}`)!;
  const lines: string[] = [];
  const out = (line = '') => lines.push(line);

  out(`Machine: ${machine()}; load average ${loadAverages.join(' at start, ')} at end. Median of ${options.rounds} rounds, each platform in a fresh process per round, alternating; ` +
    'built-in CloudFormation validation off; context `@aws-cdk/core:stackResourceLimit: 0` for both; ' +
    `library ${options.build.libraryLean ? 'lean (`monitoring: false, webAcl: false, amiUpdateAlerts: false`)'
      : options.build.libraryMonitoring === false ? 'with `monitoring: false` (no alarms, no dashboard)' : 'with its defaults (monitoring on)'}`
    + `${options.build.libraryStackPerWorkload ? ' and `stackPerWorkload: true` (resources and template bytes summed over its stacks)' : ''}.`);
  out();
  out('| services | library ms | stock ms | time × | library CPU ms | stock CPU ms | CPU × | library heap MiB | stock heap MiB | heap × | library RSS MiB | stock RSS MiB | RSS × ' +
    '| library resources | stock resources | library template KiB | stock template KiB |');
  out('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const size of options.sizes) {
    const lib = get('library', size);
    const stock = get('stock', size);
    out(`| ${size} | ${fixed(lib.totalMs)} | ${fixed(stock.totalMs)} | ${ratio(lib.totalMs, stock.totalMs)} ` +
      `| ${fixed(lib.cpuMs)} | ${fixed(stock.cpuMs)} | ${ratio(lib.cpuMs, stock.cpuMs)} ` +
      `| ${fixed(lib.peakHeapMiB)} | ${fixed(stock.peakHeapMiB)} | ${ratio(lib.peakHeapMiB, stock.peakHeapMiB)} ` +
      `| ${fixed(lib.maxRssMiB)} | ${fixed(stock.maxRssMiB)} | ${ratio(lib.maxRssMiB, stock.maxRssMiB)} ` +
      `| ${lib.resources} | ${stock.resources} | ${fixed(lib.templateKiB)} | ${fixed(stock.templateKiB)} |`);
  }
  out();
  out('× = library / stock. ms: wall time of import + construct + `app.synth()` in a cold process (node start-up excluded); ' +
    'CPU ms: user + system CPU time of the same window (all threads). ' +
    'heap: the most V8 heap in use at any time (the largest heap before any garbage collection, from `--trace-gc`, or at the end). ' +
    'RSS: peak resident set size of the process. template: bytes of the template file in the cloud assembly.');

  if (options.sizes.length >= 2) {
    const per = (variant: Variant, f: (s: Summary) => number) => slope(options.sizes.map((size) => [size, f(get(variant, size))]));
    const rows: Array<[string, (s: Summary) => number, number]> = [
      ['time ms', (s) => s.totalMs, 1],
      ['CPU ms', (s) => s.cpuMs, 1],
      ['peak heap KiB', (s) => s.peakHeapMiB * 1024, 0],
      ['live heap KiB (after GC, app alive)', (s) => s.liveHeapMiB * 1024, 0],
      ['peak RSS KiB', (s) => s.maxRssMiB * 1024, 0],
      ['constructs', (s) => s.constructs, 1],
      ['resources', (s) => s.resources, 1],
      ['template KiB', (s) => s.templateKiB, 2],
    ];
    out();
    out(`Marginal cost of one more service (least-squares slope over N = ${options.sizes.join(', ')}):`);
    out();
    out('| per added service | library | stock | library / stock |');
    out('|---|---:|---:|---:|');
    for (const [name, f, digits] of rows) {
      const lib = per('library', f);
      const stock = per('stock', f);
      out(`| Δ ${name} | ${fixed(lib, digits)} | ${fixed(stock, digits)} | ${ratio(lib, stock)} |`);
    }
    // what one resource of an added service costs: the platforms' price per resource, whatever their number
    for (const [name, f] of [['time ms', (s: Summary) => s.totalMs], ['CPU ms', (s: Summary) => s.cpuMs]] as const) {
      const lib = per('library', f) / per('library', (s) => s.resources);
      const stock = per('stock', f) / per('stock', (s) => s.resources);
      out(`| Δ ${name} per added resource | ${fixed(lib, 2)} | ${fixed(stock, 2)} | ${ratio(lib, stock)} |`);
    }

    // Linearity: time(100)/time(10), or the closest sizes measured, scaled to the same 10× step.
    const from = closest(options.sizes, LINEARITY_FROM);
    const to = closest(options.sizes.filter((size) => size > from), LINEARITY_TO) ?? from;
    const exact = from === LINEARITY_FROM && to === LINEARITY_TO;
    const limit = LINEARITY_TARGET * (to / Math.max(from, 1)) / (LINEARITY_TO / LINEARITY_FROM);
    out();
    out(exact
      ? `Linearity: time(${to}) / time(${from}) (target ≤ ${LINEARITY_TARGET}):`
      : `Linearity: N = ${LINEARITY_FROM} and ${LINEARITY_TO} not both measured; closest sizes time(${to}) / time(${from}), ` +
        `target scaled to ≤ ${fixed(limit, 1)}:`);
    out();
    for (const variant of VARIANTS) {
      const value = get(variant, to).totalMs / get(variant, from).totalMs;
      const cpu = get(variant, to).cpuMs / get(variant, from).cpuMs;
      out(`- ${variant}: ${fixed(value, 2)} ${value <= limit ? 'met' : '**not met**'} (CPU time: ${fixed(cpu, 2)})`);
    }
  }

  const targetSizes = RATIO_TARGET_SIZES.filter((size) => options.sizes.includes(size));
  const target = options.build.libraryLean || options.build.libraryMonitoring === false ? RATIO_TARGET_LEAN : RATIO_TARGET_DEFAULTS;
  const verdict = (name: string, value: number, limit: number) => `${name} ${fixed(value, 2)} ${value <= limit ? 'met' : '**not met**'}`;
  if (targetSizes.length || options.sizes.length >= 2) {
    out();
    out(`Targets of issue 16, library / stock ≤ ${fixed(target, 2)} at N = ${RATIO_TARGET_SIZES.join(' and ')}:`);
    out();
  }
  if (targetSizes.length) {
    for (const size of targetSizes) {
      const lib = get('library', size);
      const stock = get('stock', size);
      const verdicts = [
        verdict('time', lib.totalMs / stock.totalMs, target),
        verdict('CPU time', lib.cpuMs / stock.cpuMs, target),
        verdict('peak heap', lib.peakHeapMiB / stock.peakHeapMiB, target),
        verdict('peak RSS', lib.maxRssMiB / stock.maxRssMiB, target),
      ];
      out(`- N = ${size}: ${verdicts.join('; ')}`);
    }
  }
  if (options.sizes.length >= 2) {
    const per = (variant: Variant, f: (s: Summary) => number) => slope(options.sizes.map((size) => [size, f(get(variant, size))]));
    const perRatio = (f: (s: Summary) => number) => per('library', f) / per('stock', f);
    out(`- Per added service (≤ ${fixed(PER_SERVICE_TARGET, 1)}): ${[
      verdict('time', perRatio((s) => s.totalMs), PER_SERVICE_TARGET),
      verdict('CPU time', perRatio((s) => s.cpuMs), PER_SERVICE_TARGET),
      verdict('peak heap', perRatio((s) => s.peakHeapMiB), PER_SERVICE_TARGET),
    ].join('; ')}`);
  }
  out();
  out('Noise: half the interquartile range of the rounds\' wall time, relative to the median: ' + options.sizes.map((size) =>
    `N = ${size}: library ±${fixed(get('library', size).totalSpread * 100)} %, stock ±${fixed(get('stock', size).totalSpread * 100)} %`).join('; ')
    + '. A ratio closer to its target than the two spreads together is within the noise of the run.');

  out();
  out('Phases and heap (medians; heap in MiB, live heap after a full GC with the app alive):');
  out();
  out('| services | platform | import ms | construct ms | app.synth() ms | heap after imports | peak heap | live heap |');
  out('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const size of options.sizes) {
    for (const variant of VARIANTS) {
      const s = get(variant, size);
      out(`| ${size} | ${variant} | ${fixed(s.importMs)} | ${fixed(s.buildMs)} | ${fixed(s.synthMs)} ` +
        `| ${fixed(s.baseHeapMiB)} | ${fixed(s.peakHeapMiB)} | ${fixed(s.liveHeapMiB)} |`);
    }
  }

  const small = options.sizes[0];
  const large = options.sizes[options.sizes.length - 1];
  const types = new Set([...Object.keys(get('library', large).resourceTypes), ...Object.keys(get('stock', large).resourceTypes)]);
  const count = (variant: Variant, size: number, type: string) => get(variant, size).resourceTypes[type] ?? 0;
  const perService = (variant: Variant, type: string) => large === small ? NaN
    : (count(variant, large, type) - count(variant, small, type)) / (large - small);
  out();
  out(`Resource types that differ (count at N = ${small}, and per added service from N = ${small} to ${large}):`);
  out();
  out(`| type | library N=${small} | stock N=${small} | library per service | stock per service |`);
  out('|---|---:|---:|---:|---:|');
  for (const type of [...types].sort()) {
    const cells = [count('library', small, type), count('stock', small, type), perService('library', type), perService('stock', type)];
    if (cells[0] === cells[1] && cells[2] === cells[3]) continue;
    out(`| ${type} | ${cells[0]} | ${cells[1]} | ${fixed(cells[2], 2)} | ${fixed(cells[3], 2)} |`);
  }
  console.log(lines.join('\n'));
}

/** The size in `sizes` closest to `target` (the larger on a tie). */
function closest(sizes: number[], target: number): number {
  return sizes.reduce((best, size) => Math.abs(size - target) <= Math.abs(best - target) ? size : best, sizes[0]);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const results: WorkerResult[] = [];
  const started = Date.now();
  const loadAtStart = loadAverage();
  console.error(`sizes ${options.sizes.join(',')}, ${options.rounds} rounds, library monitoring ${options.build.libraryMonitoring === false || options.build.libraryLean ? 'off' : 'on'}`
    + `${options.build.libraryLean ? ', lean' : ''}`
    + `${options.build.libraryStackPerWorkload ? ', a stack per workload' : ''}; ${machine()}`);
  // every round measures every size, and the platforms take turns going first: a machine that drifts (slows down,
  // warms up) over the run then shifts all sizes and both platforms alike instead of bending the slopes and ratios
  for (let round = 0; round < options.rounds; round++) {
    for (const size of options.sizes) {
      for (const variant of round % 2 ? [...VARIANTS].reverse() : VARIANTS) {
        const result = await runWorker(variant, size, options.build);
        results.push(result);
        console.error(`  N=${size} round ${round + 1} ${variant}: ${fixed(result.totalMs)} ms (CPU ${fixed(result.cpuMs)}), ` +
          `heap ${fixed(result.peakHeapUsedBytes / MiB)} MiB, RSS ${fixed(result.maxRssBytes / MiB)} MiB, ${result.resources} resources`);
      }
    }
  }
  console.error(`done in ${fixed((Date.now() - started) / 1000)} s`);

  const summaries = new Map<string, Summary>();
  for (const size of options.sizes) {
    for (const variant of VARIANTS) {
      summaries.set(`${variant}:${size}`, summarize(results.filter((r) => r.variant === variant && r.services === size)));
    }
  }
  if (options.json) {
    fs.writeFileSync(options.json, JSON.stringify({ machine: machine(), loadAverage: [loadAtStart, loadAverage()], options, results }, undefined, 1));
  }
  printTables(options, summaries, [loadAtStart, loadAverage()]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
