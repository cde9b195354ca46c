/**
 * CPU profile of synthesis: where the time goes, by synthesis step, module, function and construct type, for the
 * library or the stock platform. Forks `worker.js` under `node --cpu-prof` and keeps only the samples of the timed
 * window (imports, construction and `app.synth()`).
 *
 *   node bench/out/bench/profile.js --variant library --services 100 [--baseline 20] [--repeat 3] [--top 25] [--keep] [--no-monitoring] [--stack-per-workload] [--lean]
 *
 * With `--baseline B`, it also profiles B services and reports the marginal cost of one more service:
 * (time at N − time at B) / (N − B), per step, module, function and constructor, which leaves out the fixed
 * cost of the platform. `--repeat` averages several profiles of each size (a busy machine makes single ones noisy).
 *
 * Self time is where the CPU was; inclusive time counts a function once per sample in which it is on the stack
 * (recursion counted once), so a constructor's inclusive time is all the work it caused at that moment. Work that
 * a construct causes later, at synthesis (tokens, aspects, validations), shows under aws-cdk-lib's synthesis steps
 * and under the library functions that they call back (`Lazy` producers, aspects, validations).
 */
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Variant, VARIANTS, WorkerResult, workerArgs } from './worker';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

interface Options {
  readonly variant: Variant;
  readonly services: number;
  readonly baseline?: number;
  readonly repeat: number;
  readonly top: number;
  readonly intervalMicros: number;
  readonly keep: boolean;
  readonly libraryMonitoring: boolean;
  readonly libraryStackPerWorkload: boolean;
  readonly libraryLean: boolean;
}

/** Milliseconds by key. */
type Times = Map<string, number>;

/** What one or more profiles of one size add up to, in ms. */
interface Aggregate {
  readonly windowMs: number;
  readonly totalMs: number;
  readonly importMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly steps: Times;
  readonly selfByModule: Times;
  readonly inclusiveByModule: Times;
  readonly selfByFunction: Times;
  readonly inclusiveByFunction: Times;
}

const USAGE = 'usage: profile.js --variant library|stock --services 100 [--baseline 20] [--repeat 1] [--top 25] [--interval 100] [--keep] [--no-monitoring] [--stack-per-workload] [--lean]';

function parseOptions(argv: string[]): Options {
  let variant: Variant = 'library';
  let services = 100;
  let baseline: number | undefined;
  let repeat = 1;
  let top = 25;
  let intervalMicros = 100;
  let keep = false;
  let libraryMonitoring = true;
  let libraryStackPerWorkload = false;
  let libraryLean = false;
  const integer = (flag: string, text: string, min: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new Error(`${flag} must be an integer ≥ ${min}, got: ${text}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--variant':
        variant = value() as Variant;
        if (!VARIANTS.includes(variant)) throw new Error(`--variant must be one of ${VARIANTS.join(', ')}, got: ${variant}`);
        break;
      case '--services': services = integer(flag, value(), 0); break;
      case '--baseline': baseline = integer(flag, value(), 0); break;
      case '--repeat': repeat = integer(flag, value(), 1); break;
      case '--top': top = integer(flag, value(), 1); break;
      case '--interval': intervalMicros = integer(flag, value(), 10); break;
      case '--keep': keep = true; break;
      case '--no-monitoring': libraryMonitoring = false; break;
      case '--stack-per-workload': libraryStackPerWorkload = true; break;
      case '--lean': libraryLean = true; break;
      default: throw new Error(`unknown option ${argv[i]}; ${USAGE}`);
    }
  }
  if (baseline !== undefined && baseline >= services) throw new Error(`--baseline must be below --services (${services}), got: ${baseline}`);
  return { variant, services, baseline, repeat, top, intervalMicros, keep, libraryMonitoring, libraryStackPerWorkload, libraryLean };
}

/** Runs one worker under the CPU profiler; returns its result and its profile. */
async function profileOnce(options: Options, services: number): Promise<{ result: WorkerResult; profile: CpuProfile }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bench-profile-'));
  try {
    const result = await new Promise<WorkerResult>((resolve, reject) => {
      const child = fork(path.join(__dirname, 'worker.js'), workerArgs(options.variant, services, {
        libraryMonitoring: options.libraryMonitoring,
        libraryStackPerWorkload: options.libraryStackPerWorkload,
        libraryLean: options.libraryLean,
      }), {
        execArgv: ['--expose-gc', '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${options.intervalMicros}`],
        env: { ...process.env, CDK_VALIDATION: 'false' },
      });
      let message: WorkerResult | undefined;
      child.on('message', (m) => { message = m as WorkerResult; });
      child.on('error', reject);
      child.on('exit', (code) => code === 0 && message ? resolve(message) : reject(new Error(`worker exited with code ${code}`)));
    });
    const file = fs.readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile written to ${dir}`);
    if (options.keep) {
      const kept = path.join(__dirname, `${options.variant}-${services}.cpuprofile`);
      fs.copyFileSync(path.join(dir, file), kept);
      console.error(`profile kept as ${kept} (open it in Chrome DevTools or speedscope)`);
    }
    return { result, profile: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A short, stable name for a script: `src/service/web-service.js`, `aws-cdk-lib/aws-ecs/lib/base/base-service.js`, `node:fs`. */
function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const out = url.indexOf('/bench/out/');
  if (out >= 0) return url.slice(out + '/bench/out/'.length);
  return url.replace(/^file:\/\//, '');
}

/** What a script belongs to: a file of this library, a module of aws-cdk-lib (core by file), constructs, node, or V8. */
function moduleOf(frame: CallFrame): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const url = shortUrl(frame.url);
  if (url.startsWith('src/')) return `library ${url}`;
  if (url.startsWith('bench/')) return `bench ${url}`;
  const cdk = /^aws-cdk-lib\/([^/]+)(\/lib\/([^/]+))?/.exec(url);
  if (cdk) return cdk[1] === 'core' ? `aws-cdk-lib/core/lib/${cdk[3] ?? ''}` : `aws-cdk-lib/${cdk[1]}`;
  if (url.startsWith('constructs/')) return 'constructs';
  if (url.startsWith('node:')) return 'node internals';
  return url.split('/')[0];
}

/** The steps of aws-cdk-lib's `synthesize()` (core/lib/private/synthesis.js), in order. */
const SYNTHESIS_STEPS = ['injectTreeMetadata', 'synthNestedAssemblies', 'invokeAspects', 'invokeAspectsV2', 'injectMetadataResources',
  'prepareApp', 'validateTree', 'synthesizeTree', 'generateFeatureFlagReport', 'buildAssembly', 'validateTemplates'];

function frameName(frame: CallFrame): string {
  if (!frame.url) return frame.functionName || '(anonymous)';
  return `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function add(map: Times, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

/** Adds one profile's samples in the worker's timed window to `into`. */
function accumulate(into: Aggregate, profile: CpuProfile, result: WorkerResult): Aggregate {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  if (result.windowStartMicros < profile.startTime || result.windowEndMicros > profile.endTime) {
    console.error('warning: the timed window is not inside the profile (clocks differ?): all samples are counted');
  }
  const inWindow = (time: number) => profile.startTime > result.windowStartMicros || profile.endTime < result.windowEndMicros
    || (time >= result.windowStartMicros && time <= result.windowEndMicros);

  let windowMs = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    // a sample stands for the interval up to the next one
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (!inWindow(time)) continue;
    windowMs += ms;
    const leaf = byId.get(profile.samples[i])!;
    add(into.selfByFunction, frameName(leaf.callFrame), ms);
    add(into.selfByModule, moduleOf(leaf.callFrame), ms);
    const functions = new Set<string>();
    const modules = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      const name = frameName(frame);
      if (!functions.has(name)) {
        functions.add(name);
        add(into.inclusiveByFunction, name, ms);
        if (SYNTHESIS_STEPS.includes(frame.functionName) && frame.url.includes('aws-cdk-lib/core/')) add(into.steps, frame.functionName, ms);
      }
      const module = moduleOf(frame);
      if (!modules.has(module)) {
        modules.add(module);
        add(into.inclusiveByModule, module, ms);
      }
    }
  }
  return {
    ...into,
    windowMs: into.windowMs + windowMs,
    totalMs: into.totalMs + result.totalMs,
    importMs: into.importMs + result.importMs,
    buildMs: into.buildMs + result.buildMs,
    synthMs: into.synthMs + result.synthMs,
  };
}

function emptyAggregate(): Aggregate {
  return {
    windowMs: 0,
    totalMs: 0,
    importMs: 0,
    buildMs: 0,
    synthMs: 0,
    steps: new Map(),
    selfByModule: new Map(),
    inclusiveByModule: new Map(),
    selfByFunction: new Map(),
    inclusiveByFunction: new Map(),
  };
}

/** `a × factor − b × factor`, key by key: an average (b empty) or a marginal cost. */
function combine(a: Aggregate, b: Aggregate, factor: number): Aggregate {
  const maps = (x: Times, y: Times) => {
    const out: Times = new Map();
    for (const key of new Set([...x.keys(), ...y.keys()])) out.set(key, ((x.get(key) ?? 0) - (y.get(key) ?? 0)) * factor);
    return out;
  };
  return {
    windowMs: (a.windowMs - b.windowMs) * factor,
    totalMs: (a.totalMs - b.totalMs) * factor,
    importMs: (a.importMs - b.importMs) * factor,
    buildMs: (a.buildMs - b.buildMs) * factor,
    synthMs: (a.synthMs - b.synthMs) * factor,
    steps: maps(a.steps, b.steps),
    selfByModule: maps(a.selfByModule, b.selfByModule),
    inclusiveByModule: maps(a.inclusiveByModule, b.inclusiveByModule),
    selfByFunction: maps(a.selfByFunction, b.selfByFunction),
    inclusiveByFunction: maps(a.inclusiveByFunction, b.inclusiveByFunction),
  };
}

async function profileSize(options: Options, services: number): Promise<Aggregate> {
  let sum = emptyAggregate();
  for (let i = 0; i < options.repeat; i++) {
    const { result, profile } = await profileOnce(options, services);
    sum = accumulate(sum, profile, result);
  }
  return combine(sum, emptyAggregate(), 1 / options.repeat);
}

function table(title: string, rows: Times, totalMs: number, options: Options, digits: number, filter = (_name: string) => true): string[] {
  const lines = [title, '', '| ms | % | |', '|---:|---:|---|'];
  const sorted = [...rows].filter(([name]) => filter(name)).sort((a, b) => b[1] - a[1]).slice(0, options.top);
  for (const [name, ms] of sorted) {
    lines.push(`| ${ms.toFixed(digits)} | ${(100 * ms / totalMs).toFixed(1)} | \`${name.replace(/\|/g, '\\|')}\` |`);
  }
  lines.push('');
  return lines;
}

function report(title: string, aggregate: Aggregate, options: Options, digits: number): string[] {
  const total = aggregate.windowMs;
  const steps: Times = new Map(SYNTHESIS_STEPS.filter((step) => aggregate.steps.has(step)).map((step) => [step, aggregate.steps.get(step)!]));
  return [
    `## ${title}`,
    '',
    `Timed (without the profiler's samples): ${aggregate.totalMs.toFixed(digits)} ms = import ${aggregate.importMs.toFixed(digits)} ` +
      `+ construct ${aggregate.buildMs.toFixed(digits)} + app.synth() ${aggregate.synthMs.toFixed(digits)}; ` +
      `samples in that window: ${total.toFixed(digits)} ms (the profiler adds its own overhead).`,
    '',
    ...table('Steps of `app.synth()` (inclusive):', steps, total, options, digits),
    ...table('Self time by module:', aggregate.selfByModule, total, options, digits),
    ...table('Inclusive time by module (counted once per sample):', aggregate.inclusiveByModule, total, options, digits),
    ...table('Self time by function:', aggregate.selfByFunction, total, options, digits),
    ...table('Inclusive time by function:', aggregate.inclusiveByFunction, total, options, digits),
    // class constructors (capitalised names; aws-cdk-lib's decorated classes end in 2): each construct type with all it creates
    ...table('Inclusive time by constructor (construct type):', aggregate.inclusiveByFunction, total, options, digits,
      (name) => /^[A-Z][A-Za-z0-9]* /.test(name)),
    ...table('Inclusive time of this library\'s functions:', aggregate.inclusiveByFunction, total, options, digits,
      (name) => / src\//.test(name)),
  ];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const at = await profileSize(options, options.services);
  const lines = [
    `# CPU profile: ${options.variant} platform${options.variant === 'library' && options.libraryLean ? ' (lean)' : options.variant === 'library' && !options.libraryMonitoring ? ' (monitoring off)' : ''}, sampling every ${options.intervalMicros} µs, average of ${options.repeat}`,
    '',
    ...report(`${options.services} services`, at, options, 0),
  ];
  if (options.baseline !== undefined) {
    const base = await profileSize(options, options.baseline);
    const perService = combine(at, base, 1 / (options.services - options.baseline));
    lines.push(...report(`Per added service, from ${options.baseline} to ${options.services} services`, perService, options, 2));
  }
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
