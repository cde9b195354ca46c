/**
 * What the benchmark scripts report alike: medians, quantiles and the noise of a set of rounds, how numbers are
 * printed, and the machine and its load, which every result records.
 */
import * as fs from 'fs';
import * as os from 'os';

/** The `q` quantile (0 to 1) of `values`, interpolated between the closest ranks. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Half the interquartile range of `values`, relative to their median: the noise of a set of rounds. */
export function relativeSpread(values: number[]): number {
  return (quantile(values, 0.75) - quantile(values, 0.25)) / 2 / median(values);
}

/** `value` with `digits` decimals, or `n/a` when it is not a finite number (a ratio over zero, a slope of one size). */
export function fixed(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** The machine, the runtime and the aws-cdk-lib version a result was measured with. */
export function machine(): string {
  const cdkVersion = (JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')) as { version: string }).version;
  return `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
    `Node ${process.version.slice(1)}, aws-cdk-lib ${cdkVersion}, ${os.platform()} ${os.release()}`;
}

/** The load average over 1, 5 and 15 minutes, as `1.4 / 1.4 / 1.7`: how busy the machine was. */
export function loadAverage(): string {
  return os.loadavg().map((load) => load.toFixed(1)).join(' / ');
}
