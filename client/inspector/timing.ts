// Small statistics for the timing panels: intervals between moments, their mean and 95th percentile.

export interface Spread {
  readonly count: number;
  readonly mean: number;
  readonly p95: number;
  readonly last: number;
}

/** Gaps between consecutive moments (ms), oldest first. */
export const intervals = (moments: readonly number[]): number[] => moments.slice(1).map((at, i) => at - (moments[i] ?? at));

export function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return { count: values.length, mean, p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? mean, last: values[values.length - 1] ?? mean };
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(bytes < 10_000 ? 2 : 1)} kB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}
