// Interpolation on the server's tick timeline: everyone else is drawn a jitter-covering delay behind the newest update.
import type { Point } from "./interpolate.ts";

export interface TickBuffer {
  /** Positions as of tick `tick` (from the clock); a tick that brought no update repeats the one before. */
  push(tick: number, points: Readonly<Record<string, Point>>): void;
  /** Positions at fractional tick `tick`, linear between the updates around it; past the newest, the newest (no extrapolation). */
  sample(tick: number): Record<string, Point>;
  /** The newest positions as received. */
  latest(): Record<string, Point>;
}

const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;

/** Keeps at most `keep` updates (1.6 s at 20 Hz). */
export function createTickBuffer(keep = 32): TickBuffer {
  const frames: { tick: number; points: Readonly<Record<string, Point>> }[] = [];
  const add = (tick: number, points: Readonly<Record<string, Point>>) => {
    while (frames.length > 0 && (frames.at(-1)?.tick ?? -1) >= tick) frames.pop();
    frames.push({ tick, points });
    if (frames.length > keep) frames.shift();
  };
  return {
    push(tick, points) {
      const last = frames.at(-1);
      // No update for a while means nothing moved: hold still until the tick before, rather than slide across the gap.
      if (last && tick - last.tick > 1) add(tick - 1, last.points);
      add(tick, points);
    },
    sample(tick) {
      const after = frames.findIndex((frame) => frame.tick > tick);
      if (after === -1) return { ...frames.at(-1)?.points };
      const next = frames[after]!;
      const prev = frames[after - 1];
      if (!prev) return { ...next.points };
      const alpha = (tick - prev.tick) / (next.tick - prev.tick);
      const out: Record<string, Point> = {};
      for (const [id, to] of Object.entries(next.points)) {
        const from = prev.points[id];
        // Someone who just came into view appears where they are rather than sliding in from nowhere.
        out[id] = from ? { x: lerp(from.x, to.x, alpha), y: lerp(from.y, to.y, alpha) } : to;
      }
      return out;
    },
    latest: () => ({ ...frames.at(-1)?.points }),
  };
}
