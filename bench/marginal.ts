/**
 * The cost of one more service with warm code: both platforms built and synthesized again and again in one process,
 * after a warm-up, alternating, at two sizes. Per added service = (median at the large size − median at the small
 * one) / (difference in services), for construction, `app.synth()` and both.
 *
 * A diagnostic beside `synth.ts`, not its replacement: it leaves out what a cold `cdk synth` pays once (loading the
 * modules, compiling and optimizing their code), which `synth.ts` counts, and so shows what each added service costs
 * in steady state, with much less noise than the difference of two cold runs. Memory is not measured: in one process
 * every run's heap carries the last one's garbage.
 *
 *   node bench/out/bench/marginal.js [--sizes 20,100] [--rounds 9] [--lean | --no-monitoring]
 */
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseFlags, roundsFrom } from './cli';
import type { BuildOptions, PlatformBuilder } from './common';
import { fixed, loadAverage, machine, median, relativeSpread } from './stats';

interface Options {
  readonly small: number;
  readonly large: number;
  readonly rounds: number;
  readonly build: BuildOptions;
}

interface Run {
  readonly constructMs: number;
  readonly synthMs: number;
}

function parseOptions(argv: string[]): Options {
  let sizes = [20, 100];
  let rounds = 9;
  const build: { libraryMonitoring?: boolean; libraryLean?: boolean } = {};
  parseFlags(argv, 'node bench/out/bench/marginal.js [--sizes 20,100] [--rounds 9] [--lean | --no-monitoring]', {
    '--sizes': (value) => {
      sizes = value().split(',').map(Number);
      if (sizes.length !== 2 || sizes.some((size) => !Number.isInteger(size) || size < 0) || sizes[0] >= sizes[1]) {
        throw new Error(`--sizes must be two integers ≥ 0, the smaller first, such as 20,100, got: ${sizes}`);
      }
    },
    '--rounds': (value) => { rounds = roundsFrom(value()); },
    '--lean': () => { build.libraryLean = true; },
    '--no-monitoring': () => { build.libraryMonitoring = false; },
  });
  return { small: sizes[0], large: sizes[1], rounds, build };
}

async function main(options: Options): Promise<void> {
  // before aws-cdk-lib loads, as the worker of synth.ts has it
  process.env.CDK_VALIDATION = 'false';
  const { buildLibraryPlatform } = await import('./library-platform.js');
  const { buildStockPlatform } = await import('./stock-platform.js');
  const platforms: Array<[string, PlatformBuilder]> = [['library', buildLibraryPlatform], ['stock', buildStockPlatform]];
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-marginal-'));
  const gc = (globalThis as { gc?: () => void }).gc!;

  const once = (build: PlatformBuilder, services: number): Run => {
    fs.rmSync(outdir, { recursive: true, force: true });
    gc();
    const start = performance.now();
    const { app } = build(services, outdir, undefined, options.build);
    const built = performance.now();
    app.synth();
    return { constructMs: built - start, synthMs: performance.now() - built };
  };

  // warm-up: every code path of both platforms runs, and is optimized, before the first measurement
  for (const [, build] of platforms) for (const services of [options.small, options.large]) once(build, services);
  const runs = new Map<string, Run[]>();
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, build] of round % 2 ? [...platforms].reverse() : platforms) {
      for (const services of [options.small, options.large]) {
        const key = `${name}:${services}`;
        runs.set(key, [...runs.get(key) ?? [], once(build, services)]);
      }
    }
  }
  fs.rmSync(outdir, { recursive: true, force: true });

  const step = options.large - options.small;
  const marginal = (name: string, f: (run: Run) => number) =>
    (median(runs.get(`${name}:${options.large}`)!.map(f)) - median(runs.get(`${name}:${options.small}`)!.map(f))) / step;
  const total = (run: Run) => run.constructMs + run.synthMs;
  const spread = (name: string, services: number) => relativeSpread(runs.get(`${name}:${services}`)!.map(total));
  const mode = options.build.libraryLean ? 'lean (`monitoring: false, webAcl: false, amiUpdateAlerts: false`)'
    : options.build.libraryMonitoring === false ? 'with `monitoring: false`' : 'with its defaults (monitoring on)';
  console.log(`Warm, in one process: median of ${options.rounds} rounds after a warm-up, alternating; library ${mode}; ` +
    `${machine()}; load average ${loadAverage()} at end.`);
  console.log();
  console.log(`| platform | N = ${options.small} ms | N = ${options.large} ms | per added service: construct ms | app.synth() ms | total ms | noise at N = ${options.large} |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name] of platforms) {
    console.log(`| ${name} | ${fixed(median(runs.get(`${name}:${options.small}`)!.map(total)))} | ${fixed(median(runs.get(`${name}:${options.large}`)!.map(total)))} ` +
      `| ${fixed(marginal(name, (run) => run.constructMs), 2)} | ${fixed(marginal(name, (run) => run.synthMs), 2)} | ${fixed(marginal(name, total), 2)} ` +
      `| ±${fixed(spread(name, options.large) * 100)} % |`);
  }
  const ratio = (f: (run: Run) => number) => fixed(marginal('library', f) / marginal('stock', f), 2);
  console.log(`| library / stock | | | ${ratio((run) => run.constructMs)} | ${ratio((run) => run.synthMs)} | ${ratio(total)} | |`);
}

const options = parseOptions(process.argv.slice(2));
if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  // every measurement starts from a collected heap: run again with the collector exposed
  fork(__filename, process.argv.slice(2), { execArgv: [...process.execArgv, '--expose-gc'] }).on('exit', (code) => process.exit(code ?? 1));
} else {
  main(options).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
