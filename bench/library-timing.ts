/**
 * Where the library's own code spends its time: wraps every exported class (its construction), exported function
 * and class method of the compiled library (`bench/out/src`) with a timer, builds and synthesizes the library
 * platform, and reports inclusive wall time and calls per function, per added service (between two sizes).
 *
 *   node bench/out/bench/library-timing.js [--services 100] [--baseline 20] [--repeat 3] [--top 30] [--no-monitoring]
 *
 * Inclusive: a function's time includes everything it calls (the aws-cdk-lib constructs it creates, too); a
 * recursive or re-entrant call is counted once. Work that aws-cdk-lib does later for those constructs, at
 * `app.synth()` (resolving their properties, aspects), is not inside any library function, except the library's
 * own callbacks (validations, aspects, `Lazy` producers), which are. Each run is a fresh process; the median of
 * `--repeat` runs is used. The timers add some overhead of their own: compare rows, not totals with `synth.js`.
 */
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median } from './stats';

interface Stat {
  calls: number;
  inclusiveMs: number;
}

interface RunResult {
  readonly services: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly stats: Record<string, Stat>;
}

type AnyFunction = (...args: unknown[]) => unknown;
type AnyClass = new (...args: unknown[]) => unknown;

const SRC = path.join(__dirname, '..', 'src');

/** Wraps the exports of every compiled module of the library with timers that add up into `stats`. */
function instrument(stats: Map<string, Stat>): void {
  const active: string[] = [];
  const timed = <T>(label: string, body: () => T): T => {
    const stat = stats.get(label) ?? { calls: 0, inclusiveMs: 0 };
    stats.set(label, stat);
    const reentrant = active.includes(label);
    active.push(label);
    const start = process.hrtime.bigint();
    try {
      return body();
    } finally {
      active.pop();
      stat.calls++;
      if (!reentrant) stat.inclusiveMs += Number(process.hrtime.bigint() - start) / 1e6;
    }
  };
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(path.join(dir, entry.name)) : entry.name.endsWith('.js') && entry.name !== 'index.js' ? [path.join(dir, entry.name)] : []);
  for (const file of files(SRC)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled modules are found at run time
    const exports = require(file) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== 'function') continue;
      if (/^class\b/.test(Function.prototype.toString.call(value))) {
        const cls = value as AnyClass & Record<string, unknown>;
        const prototype = cls.prototype as Record<string, unknown>;
        for (const key of Object.getOwnPropertyNames(prototype)) {
          const method = Object.getOwnPropertyDescriptor(prototype, key)?.value as unknown;
          if (key === 'constructor' || typeof method !== 'function') continue;
          prototype[key] = function (this: unknown, ...args: unknown[]) { return timed(`${name}.${key}`, () => (method as AnyFunction).apply(this, args)); };
        }
        for (const key of Object.getOwnPropertyNames(cls)) {
          const descriptor = Object.getOwnPropertyDescriptor(cls, key);
          if (['length', 'name', 'prototype'].includes(key) || typeof descriptor?.value !== 'function' || !descriptor.writable) continue;
          const method = descriptor.value as AnyFunction;
          cls[key] = function (this: unknown, ...args: unknown[]) { return timed(`${name}.${key}`, () => method.apply(this, args)); };
        }
        // the modules construct each other's classes through their exports (`new web_service_1.WebService(…)`)
        const proxy = new Proxy(cls, {
          construct: (target, args, newTarget) => timed(`new ${name}`, () => Reflect.construct(target, args, newTarget) as object),
        });
        Object.defineProperty(exports, name, { value: proxy, writable: true, configurable: true, enumerable: true });
      } else {
        const fn = value as AnyFunction;
        Object.defineProperty(exports, name, {
          value: function (this: unknown, ...args: unknown[]) { return timed(`${name}()`, () => fn.apply(this, args)); },
          writable: true,
          configurable: true,
          enumerable: true,
        });
      }
    }
  }
}

/** In the child: one instrumented build and synthesis. */
async function child(services: number, libraryMonitoring: boolean): Promise<RunResult> {
  process.env.CDK_VALIDATION = 'false';
  const stats = new Map<string, Stat>();
  instrument(stats);
  const { buildLibraryPlatform } = await import('./library-platform.js');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bench-timing-'));
  try {
    const start = process.hrtime.bigint();
    const platform = buildLibraryPlatform(services, outdir, undefined, { libraryMonitoring });
    const built = process.hrtime.bigint();
    platform.app.synth();
    const end = process.hrtime.bigint();
    return { services, constructMs: Number(built - start) / 1e6, synthMs: Number(end - built) / 1e6, stats: Object.fromEntries(stats) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function run(services: number, libraryMonitoring: boolean): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const worker = fork(__filename, ['--child', String(services), String(libraryMonitoring)]);
    let result: RunResult | undefined;
    worker.on('message', (message) => { result = message as RunResult; });
    worker.on('error', reject);
    worker.on('exit', (code) => code === 0 && result ? resolve(result) : reject(new Error(`timing run exited with code ${code}`)));
  });
}

async function main(argv: string[]): Promise<void> {
  const option = (flag: string, fallback: number) => {
    const index = argv.indexOf(flag);
    const value = index >= 0 ? Number(argv[index + 1]) : fallback;
    if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} must be an integer ≥ 0, got: ${argv[index + 1]}`);
    return value;
  };
  const services = option('--services', 100);
  const baseline = option('--baseline', 20);
  const repeat = Math.max(1, option('--repeat', 3));
  const top = option('--top', 30);
  const libraryMonitoring = !argv.includes('--no-monitoring');
  if (baseline >= services) throw new Error(`--baseline must be below --services (${services}), got: ${baseline}`);

  const at: RunResult[] = [];
  const base: RunResult[] = [];
  for (let i = 0; i < repeat; i++) {
    base.push(await run(baseline, libraryMonitoring));
    at.push(await run(services, libraryMonitoring));
  }
  const per = services - baseline;
  const inclusive = (runs: RunResult[], label: string) => median(runs.map((r) => r.stats[label]?.inclusiveMs ?? 0));
  const labels = [...new Set([...at, ...base].flatMap((r) => Object.keys(r.stats)))];
  const rows = labels
    .map((label) => ({
      label,
      perService: (inclusive(at, label) - inclusive(base, label)) / per,
      atN: inclusive(at, label),
      calls: at[0].stats[label]?.calls ?? 0,
    }))
    .sort((a, b) => b.perService - a.perService)
    .slice(0, top);
  const phase = (f: (r: RunResult) => number) => `${median(base.map(f)).toFixed(0)} → ${median(at.map(f)).toFixed(0)} ms ` +
    `(${((median(at.map(f)) - median(base.map(f))) / per).toFixed(2)} ms per service)`;
  console.log([
    `Library functions, instrumented: ${baseline} → ${services} services, median of ${repeat} fresh processes each` +
      `${libraryMonitoring ? '' : ', monitoring off'}.`,
    `Construct: ${phase((r) => r.constructMs)}; app.synth(): ${phase((r) => r.synthMs)}.`,
    '',
    `| ms per added service | ms at N = ${services} | calls at N = ${services} | function (inclusive) |`,
    '|---:|---:|---:|---|',
    ...rows.map((row) => `| ${row.perService.toFixed(3)} | ${row.atN.toFixed(1)} | ${row.calls} | \`${row.label}\` |`),
  ].join('\n'));
}

if (process.argv[2] === '--child') {
  child(Number(process.argv[3]), process.argv[4] !== 'false').then((result) => process.send!(result, () => process.exit(0))).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
