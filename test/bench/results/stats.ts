// Percentiles of samples and medians of repeated runs' figures.

export const round = (n: number, places = 2): number => Math.round(n * 10 ** places) / 10 ** places;

/** Nearest-rank percentile; null without samples. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0);
}

/** p50, p95 and p99 of one series, with its sample count. */
export const percentiles = (values: readonly number[]): { p50: number | null; p95: number | null; p99: number | null; samples: number } => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
  samples: values.length,
});

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : round(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

/**
 * The median of every numeric leaf across runs of the same shape; any other leaf (a string, a
 * null, an array) is taken from the first run, since it describes the run rather than measures it.
 */
export function medianOf<T>(runs: readonly T[]): T {
  const [first] = runs;
  if (first === undefined) throw new Error("no runs");
  if (typeof first === "number") {
    const numbers = runs.filter((run): run is T & number => typeof run === "number");
    return median(numbers) as T;
  }
  if (typeof first !== "object" || first === null || Array.isArray(first)) return first;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first)) out[key] = medianOf(runs.map((run) => (run as Record<string, unknown>)[key]));
  return out as T;
}
