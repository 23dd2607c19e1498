// Interpolation on the server's tick timeline: everyone else is drawn a jitter-covering delay behind the newest update.
import { sampleFrames, type Frame, type Point } from "./interpolate.ts";

export interface TickBuffer {
  /** Positions as of tick `tick` (from the clock); a tick that brought no update repeats the one before. */
  push(tick: number, points: Readonly<Record<string, Point>>): void;
  /** Positions at fractional tick `tick`, linear between the updates around it; past the newest, the newest (no extrapolation). */
  sample(tick: number): Record<string, Point>;
  /** The newest positions as received. */
  latest(): Record<string, Point>;
}

/** Keeps at most `keep` updates (1.6 s at 20 Hz). */
export function createTickBuffer(keep = 32): TickBuffer {
  const frames: Frame[] = [];
  const add = (tick: number, points: Readonly<Record<string, Point>>) => {
    while (frames.length > 0 && (frames.at(-1)?.at ?? -1) >= tick) frames.pop();
    frames.push({ at: tick, points });
    if (frames.length > keep) frames.shift();
  };
  return {
    push(tick, points) {
      const last = frames.at(-1);
      // No update for a while means nothing moved: hold still until the tick before, rather than slide across the gap.
      if (last && tick - last.at > 1) add(tick - 1, last.points);
      add(tick, points);
    },
    sample: (tick) => sampleFrames(frames, tick),
    latest: () => ({ ...frames.at(-1)?.points }),
  };
}
