// The targets for the arena scenario, checked against measured figures.
import type { Figures } from "./figures.ts";

export interface Target {
  /** The configuration whose figure is checked. */
  readonly config: string;
  readonly label: string;
  readonly limit: number;
  /** The figure, from the configuration's median figures. */
  readonly value: (figures: Figures, all: ReadonlyMap<string, Figures>) => number | null;
}

const staticOverPlain = (figures: Figures, all: ReadonlyMap<string, Figures>): number | null => {
  const plain = all.get(figures.config.replace(/-static$/, "-lean"));
  return plain && plain.serverCpuMsPerTick > 0 ? figures.serverCpuMsPerTick / plain.serverCpuMsPerTick : null;
};

export const TARGETS: readonly Target[] = [
  { config: "16x1", label: "wire ↓ B/client/s at 16 players", limit: 4900, value: (f) => f.wireDownBytesPerClientSec },
  { config: "32x1", label: "wire ↓ B/client/s at 32 players", limit: 9700, value: (f) => f.wireDownBytesPerClientSec },
  { config: "16x1", label: "payload ↓ B/client/s at 16 players", limit: 20000, value: (f) => f.downBytesPerClientSec },
  { config: "16x10", label: "ack latency p99 ms at (16,10)", limit: 55, value: (f) => f.ackLatencyMs.p99 },
  { config: "32x10", label: "tick overruns at (32,10)", limit: 0, value: (f) => f.tickOverruns },
  { config: "32x10", label: "client tick interval p99 ms at (32,10)", limit: 55, value: (f) => f.tickIntervalMs.p99 },
  { config: "32x10", label: "server CPU s per wall s at (32,10)", limit: 0.27, value: (f) => f.serverCpuPerSec },
  { config: "16x1-static", label: "CPU per tick, 10,000 static entities ÷ plain (16,1), lean bots", limit: 1.1, value: staticOverPlain },
  { config: "16x1", label: "rows written per tick at 16 players", limit: 2, value: (f) => f.rowsWrittenPerTick },
];

export interface Check {
  readonly label: string;
  readonly limit: number;
  readonly value: number | null;
  readonly met: boolean | null;
}

/** Every target whose configuration was measured. */
export function check(all: ReadonlyMap<string, Figures>): Check[] {
  return TARGETS.flatMap((target) => {
    const figures = all.get(target.config);
    if (!figures) return [];
    const value = target.value(figures, all);
    return [{ label: target.label, limit: target.limit, value, met: value === null ? null : value <= target.limit }];
  });
}
