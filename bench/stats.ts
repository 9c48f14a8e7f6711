/** The arithmetic of the benchmark: medians, ratios and per-resource costs. Pure, tested directly. */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds per resource; undefined when nothing was registered. */
export function perResource(ms: number, resources: number): number | undefined {
  return resources > 0 ? ms / resources : undefined;
}

/** How many times cheaper `ours` is than `baseline` (2 = half the cost). */
export function speedup(baseline: number, ours: number): number {
  if (!(ours > 0)) throw new Error(`cannot compare against a cost of ${ours}`);
  return baseline / ours;
}
