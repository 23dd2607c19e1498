// Smooth motion between server ticks: positions are drawn a little in the past, between the two updates around that moment.

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Interpolator {
  /** Record where everything was, as received at time `at` (ms, any monotonic clock). */
  push(at: number, points: Readonly<Record<string, Point>>): void;
  /** Where everything is drawn at time `now`: `delayMs` in the past, linearly between the updates around it. */
  sample(now: number): Record<string, Point>;
}

const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;

/** Positions received at a time (ms or ticks): what both interpolators keep, oldest first. */
export interface Frame {
  readonly at: number;
  readonly points: Readonly<Record<string, Point>>;
}

/** Positions at time `t`: linear between the frames around it, the newest past the last (no extrapolation). */
export function sampleFrames(frames: readonly Frame[], t: number): Record<string, Point> {
  const after = frames.findIndex((frame) => frame.at > t);
  if (after === -1) return { ...frames.at(-1)?.points };
  const next = frames[after]!;
  const prev = frames[after - 1];
  if (!prev) return { ...next.points };
  const alpha = (t - prev.at) / (next.at - prev.at);
  const out: Record<string, Point> = {};
  for (const [id, to] of Object.entries(next.points)) {
    const from = prev.points[id];
    // Someone who just came into view appears where they are rather than sliding in from nowhere.
    out[id] = from ? { x: lerp(from.x, to.x, alpha), y: lerp(from.y, to.y, alpha) } : to;
  }
  return out;
}

/**
 * `delayMs` should cover one update interval plus jitter (about 1.5 ticks): then there is almost always an
 * update on each side of the drawn moment. Past the newest update things stand still: no extrapolation,
 * so a player never sees someone walk through a wall and snap back.
 */
export function createInterpolator(delayMs: number, keep = 32): Interpolator {
  const frames: Frame[] = [];
  return {
    push(at, points) {
      frames.push({ at, points });
      if (frames.length > keep) frames.shift();
    },
    sample: (now) => sampleFrames(frames, now - delayMs),
  };
}
