/**
 * One measurement, in a process of its own: builds and synthesizes one platform once, then reports time, memory,
 * resource count and template size. The runner (`synth.ts`) forks it once per measurement, so that every peak is
 * the peak of that one synthesis and every run starts equally cold, as `cdk synth` does.
 *
 * Standalone, for profiling (prints the result as JSON):
 *   node --expose-gc [--trace-gc] bench/out/bench/worker.js <library|stock> <services> [--no-monitoring] [--stack-per-workload] [--lean]
 *   node --cpu-prof --cpu-prof-dir=bench/out/profiles bench/out/bench/worker.js library 100
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import type { BuildOptions, PlatformBuilder } from './common';

/** The platforms the benchmark compares. */
export const VARIANTS = ['library', 'stock'] as const;
/** One of the compared platforms. */
export type Variant = typeof VARIANTS[number];

/** What one worker reports. */
export interface WorkerResult {
  readonly variant: Variant;
  readonly services: number;
  /** Loading the platform's modules (this library or the stock modules, with aws-cdk-lib). */
  readonly importMs: number;
  /** Constructing the app: `new App()` to the last service. */
  readonly buildMs: number;
  /** `app.synth()`: aspects, validation, token resolution, writing the cloud assembly. */
  readonly synthMs: number;
  /**
   * `importMs + buildMs + synthMs`: the synth wall time that the benchmark compares, everything a cold `cdk synth`
   * app does after node starts. Imports count because aws-cdk-lib loads most of its modules lazily, at first use:
   * without them, code that loads its modules up front (this library's barrel) would look cheaper than it is.
   */
  readonly totalMs: number;
  /**
   * CPU time (user + system, all threads: GC helpers too) of the same window. Less sensitive than wall time to
   * other processes on a busy machine; can exceed `totalMs` when V8's helper threads work in parallel.
   */
  readonly cpuMs: number;
  /**
   * The most V8 heap in use at any sample (after imports, after the platform, after each service, after synth; no
   * forced GC). The runner raises it to the peak that `--trace-gc` shows (`peakHeapFromGcTrace`).
   */
  readonly peakHeapUsedBytes: number;
  /** V8 heap in use after the imports, before the app. */
  readonly baseHeapUsedBytes: number;
  /** V8 heap still in use after a full GC with the app and its assembly alive (with `--expose-gc`; else 0). */
  readonly liveHeapBytes: number;
  /** Peak resident set size of the process (`process.resourceUsage().maxRSS`), imports included. */
  readonly maxRssBytes: number;
  /** Constructs in the app's tree (every L1, L2 and wrapper), counted after synthesis. */
  readonly constructs: number;
  /** Resources in the stack's template. */
  readonly resources: number;
  /** Resources in the stack's template by CloudFormation type. */
  readonly resourceTypes: Record<string, number>;
  /** Bytes of the template file as written to the cloud assembly (what the CLI uploads). */
  readonly templateBytes: number;
  /** `process.hrtime` (µs) at the start (before the imports) and end of the timed window, to cut a CPU profile to it. */
  readonly windowStartMicros: number;
  readonly windowEndMicros: number;
}

/**
 * The most heap in use right before any garbage collection, from V8's `--trace-gc` lines such as
 * `Scavenge 8.2 (10.4) -> 7.4 (10.9) MB` (MB there is MiB). The heap only grows between collections, so with the
 * heap at the end this is the exact peak, where samples at fixed points would miss whatever a collection then freed.
 */
export function peakHeapFromGcTrace(trace: string): number {
  let peak = 0;
  for (const match of trace.matchAll(/ms: [A-Za-z -]+?(?: \([a-z ]+\))? ([\d.]+) \([\d.]+\) -> [\d.]+ \([\d.]+\) MB/g)) {
    peak = Math.max(peak, Number(match[1]) * 2 ** 20);
  }
  return peak;
}

function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

async function loadBuilder(variant: Variant): Promise<PlatformBuilder> {
  // Only the compared platform's modules are loaded, so that each process carries only its own code.
  if (variant === 'library') return (await import('./library-platform.js')).buildLibraryPlatform;
  return (await import('./stock-platform.js')).buildStockPlatform;
}

/** Builds and synthesizes one platform and measures it. */
export async function measureOnce(variant: Variant, services: number, options: BuildOptions = {}): Promise<WorkerResult> {
  process.env.CDK_VALIDATION = 'false';
  const cpuStart = process.cpuUsage();
  const windowStartMicros = nowMicros();
  const build = await loadBuilder(variant);
  const importedMicros = nowMicros();
  const importMs = (importedMicros - windowStartMicros) / 1000;

  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk-bench-${variant}-`));
  try {
    const baseHeapUsedBytes = v8.getHeapStatistics().used_heap_size;
    let peakHeapUsedBytes = baseHeapUsedBytes;
    const sample = () => {
      peakHeapUsedBytes = Math.max(peakHeapUsedBytes, v8.getHeapStatistics().used_heap_size);
    };

    const buildStartMicros = nowMicros();
    const platform = build(services, outdir, sample, options);
    const builtMicros = nowMicros();
    const assembly = platform.app.synth();
    const windowEndMicros = nowMicros();
    const cpu = process.cpuUsage(cpuStart);
    sample();

    // every stack of the app: one, or with the library's stackPerWorkload one per service and more
    let templateBytes = 0;
    let resources = 0;
    const resourceTypes: Record<string, number> = {};
    for (const artifact of assembly.stacks) {
      templateBytes += fs.statSync(artifact.templateFullPath).size;
      const template = JSON.parse(fs.readFileSync(artifact.templateFullPath, 'utf8')) as { Resources?: Record<string, { Type: string }> };
      for (const resource of Object.values(template.Resources ?? {})) {
        resourceTypes[resource.Type] = (resourceTypes[resource.Type] ?? 0) + 1;
        resources++;
      }
    }
    sample();

    const gc = (globalThis as { gc?: () => void }).gc;
    let liveHeapBytes = 0;
    if (gc) {
      gc();
      liveHeapBytes = v8.getHeapStatistics().used_heap_size;
    }
    // keep the app alive up to here, so that the live heap includes it
    if (!platform.app.node.id && !assembly.directory) throw new Error('unreachable');

    return {
      variant,
      services,
      importMs,
      buildMs: (builtMicros - buildStartMicros) / 1000,
      synthMs: (windowEndMicros - builtMicros) / 1000,
      totalMs: (windowEndMicros - windowStartMicros) / 1000,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakHeapUsedBytes,
      baseHeapUsedBytes,
      liveHeapBytes,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      constructs: platform.app.node.findAll().length,
      resources,
      resourceTypes,
      templateBytes,
      windowStartMicros,
      windowEndMicros,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The worker's arguments: `<variant> <services> [--no-monitoring] [--stack-per-workload] [--lean]`. */
export function workerArgs(variant: Variant, services: number, options: BuildOptions): string[] {
  return [
    variant,
    String(services),
    ...options.libraryMonitoring === false ? ['--no-monitoring'] : [],
    ...options.libraryStackPerWorkload ? ['--stack-per-workload'] : [],
    ...options.libraryLean ? ['--lean'] : [],
  ];
}

const WORKER_FLAGS = ['--no-monitoring', '--stack-per-workload', '--lean'];

function parseArgs(argv: string[]): { variant: Variant; services: number; options: BuildOptions } {
  const [variant, services, ...flags] = argv;
  if (!VARIANTS.includes(variant as Variant) || !/^\d+$/.test(services ?? '') || flags.some((flag) => !WORKER_FLAGS.includes(flag))) {
    throw new Error(`usage: worker.js <${VARIANTS.join('|')}> <services> [--no-monitoring] [--stack-per-workload] [--lean], got: ${argv.join(' ')}`);
  }
  return {
    variant: variant as Variant,
    services: Number(services),
    options: {
      libraryMonitoring: !flags.includes('--no-monitoring'),
      libraryStackPerWorkload: flags.includes('--stack-per-workload'),
      libraryLean: flags.includes('--lean'),
    },
  };
}

if (require.main === module) {
  const { variant, services, options } = parseArgs(process.argv.slice(2));
  measureOnce(variant, services, options).then((result) => {
    if (process.send) {
      process.send(result, () => process.exit(0));
    } else {
      console.log(JSON.stringify(result, undefined, 2));
    }
  }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
