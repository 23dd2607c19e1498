// The targets for the arena scenario, checked against measured figures.
import type { Figures } from "./figures.ts";
import { median } from "./stats.ts";

/** A configuration's median figures, with the runs they are the median of (in the order they ran). */
export type Measured = Figures & { readonly runs?: readonly Figures[] };

export interface Target {
  /** The configuration whose figure is checked. */
  readonly config: string;
  readonly label: string;
  readonly limit: number;
  /** The figure, from the configuration's median figures. */
  readonly value: (figures: Measured, all: ReadonlyMap<string, Measured>) => number | null;
  /**
   * For a ratio between hosts, the median of the ratios run by run: runs alternate between hosts, so run i of each
   * ran within the same minute, and a machine that drifts over minutes moves both sides of each ratio alike.
   */
  readonly paired?: (figures: Measured, all: ReadonlyMap<string, Measured>) => number | null;
}

const staticOverPlain = (figures: Figures, all: ReadonlyMap<string, Figures>): number | null => {
  const plain = all.get(figures.config.replace(/-static@/, "-lean@"));
  return plain && plain.serverCpuMsPerTick > 0 ? figures.serverCpuMsPerTick / plain.serverCpuMsPerTick : null;
};

const ratio = (mine: number | null, theirs: number | null): number | null => (mine !== null && theirs ? mine / theirs : null);

/**
 * A figure of this configuration over the same figure of another (`16x1@control`, say), of the medians and run by
 * run; null until both ran (paired: unless both have every run, so that run i of each is the same round).
 */
const over = (other: string, figure: (f: Figures) => number | null): Pick<Target, "value" | "paired"> => ({
  value: (figures, all) => {
    const base = all.get(other);
    return ratio(figure(figures), base ? figure(base) : null);
  },
  paired: (figures, all) => {
    const mine = figures.runs ?? [];
    const theirs = all.get(other)?.runs ?? [];
    if (mine.length === 0 || mine.length !== theirs.length) return null;
    const ratios = mine.flatMap((run, i) => {
      const base = theirs[i];
      const value = ratio(figure(run), base ? figure(base) : null);
      return value === null ? [] : [value];
    });
    return ratios.length === mine.length ? median(ratios) : null;
  },
});
const cpu = (f: Figures): number => f.serverCpuPerSec;

/** Issue 16's targets (the Colyseus figures of shared/bench/arena.md for the wire), and the static variant's. */
export const TARGETS: readonly Target[] = [
  { config: "16x1@workerd", label: "server CPU s/s, bare workerd, (16,1)", limit: 0.1, value: cpu },
  { config: "16x1@workerd", label: "server CPU, bare workerd ÷ receive-only control, (16,1)", limit: 1.3, ...over("16x1@control", cpu) },
  { config: "16x1@workerd", label: "server CPU, bare workerd ÷ floor (same traffic both ways), (16,1)", limit: 1.3, ...over("16x1@floor", cpu) },
  { config: "32x1@workerd", label: "server CPU s/s, bare workerd, (32,1)", limit: 0.17, value: cpu },
  { config: "32x1@workerd", label: "server CPU, bare workerd ÷ floor, (32,1)", limit: 1.3, ...over("32x1@floor", cpu) },
  { config: "16x10@workerd", label: "server CPU s/s, bare workerd, (16,10)", limit: 0.5, value: cpu },
  { config: "16x10@workerd", label: "server CPU, bare workerd ÷ floor, (16,10)", limit: 1.3, ...over("16x10@floor", cpu) },
  { config: "16x10@workerd", label: "tick overruns, bare workerd, (16,10)", limit: 0, value: (f) => f.tickOverruns },
  { config: "16x10@workerd", label: "ack latency p99 ms, bare workerd, (16,10)", limit: 100, value: (f) => f.ackLatencyMs.p99 },
  { config: "16x1@wrangler", label: "server CPU, npm run dev ÷ bare workerd, (16,1)", limit: 1.5, ...over("16x1@workerd", cpu) },
  { config: "16x10@wrangler", label: "ack latency p99 ms, npm run dev, (16,10)", limit: 250, value: (f) => f.ackLatencyMs.p99 },
  { config: "16x1@workerd", label: "wire ↓ B/client/s at 16 players (Colyseus 5,011)", limit: 5011, value: (f) => f.wireDownBytesPerClientSec },
  { config: "32x1@workerd", label: "wire ↓ B/client/s at 32 players (Colyseus 9,697)", limit: 9697, value: (f) => f.wireDownBytesPerClientSec },
  { config: "16x1@workerd", label: "payload ↓ B/client/s at 16 players", limit: 20_000, value: (f) => f.downBytesPerClientSec },
  { config: "16x1@workerd", label: "rows written per tick at 16 players, inputs every 50 ms", limit: 0.5, value: (f) => f.rowsWrittenPerTick },
  { config: "16x1-static@workerd", label: "CPU per tick, 10,000 static entities ÷ plain (16,1), lean bots", limit: 1.1, value: staticOverPlain },
];

export interface Check {
  readonly label: string;
  readonly limit: number;
  /** The figure of the medians, which `met` judges. */
  readonly value: number | null;
  /** For a ratio between hosts, the median of the run-by-run ratios (shown beside it, not judged). */
  readonly paired: number | null;
  readonly met: boolean | null;
}

/** Every target whose configuration was measured. */
export function check(all: ReadonlyMap<string, Measured>): Check[] {
  return TARGETS.flatMap((target) => {
    const figures = all.get(target.config);
    if (!figures) return [];
    const value = target.value(figures, all);
    const paired = target.paired?.(figures, all) ?? null;
    return [{ label: target.label, limit: target.limit, value, paired, met: value === null ? null : value <= target.limit }];
  });
}
