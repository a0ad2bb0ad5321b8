// Percentiles for the benchmarks' figures.

/** The p-th percentile (0..1) of the values, rounded to `digits`. */
export function percentile(values: readonly number[], p: number, digits = 2): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(digits));
}
