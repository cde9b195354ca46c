/**
 * The statistics the benchmark scripts report: medians, quantiles and the noise of a set of rounds, and how numbers
 * are printed.
 */

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
