// What the netcode bench measures inside the demo page: key → drawn own position, drawn speed changes, visible snaps.
import type { Page } from "playwright-core";

/** One phase's figures as collected in the page (raw samples; the bench takes percentiles). */
export interface PageSamples {
  /** ms from a movement keydown to the first drawn frame whose own position differs from where it stood. */
  readonly keyToDrawMs: number[];
  /** |Δ drawn speed| between consecutive frames, units/s, for every other player on screen. */
  readonly speedChanges: number[];
  /** Frames in which your own drawn position jumped by more than the threshold beyond what its speed explains. */
  readonly snaps: number;
  readonly frames: number;
  /** Reconciliation error at each authoritative update (world units), and the corrections past the snap threshold. */
  readonly errors: number[];
  readonly correctionSnaps: number;
}

/** A jump this far (world units) beyond what 200 units/s covers in the frame's time is a visible snap: half a dot. */
export const SNAP_UNITS = 8;
const SPEED = 200;

/** Starts a fresh collection in the page (replacing any before it). */
export async function collect(page: Page): Promise<void> {
  await page.evaluate(([snapUnits, speed]) => {
    interface Point { x: number; y: number }
    const w = globalThis as unknown as {
      demo: {
        session?: { playerId?: string };
        onDraw?: (at: number, players: Record<string, Point>) => void;
        netcode?: { onCorrection(listener: (c: { error: number; snapped: boolean }) => void): () => void };
      };
      __bench?: { samples: PageSamples; stop: () => void };
      addEventListener(type: "keydown", listener: (event: { repeat: boolean; code: string }) => void, capture: boolean): void;
      removeEventListener(type: "keydown", listener: (event: { repeat: boolean; code: string }) => void, capture: boolean): void;
    };
    interface PageSamples { keyToDrawMs: number[]; speedChanges: number[]; snaps: number; frames: number; errors: number[]; correctionSnaps: number }
    w.__bench?.stop();
    const samples: PageSamples = { keyToDrawMs: [], speedChanges: [], snaps: 0, frames: 0, errors: [], correctionSnaps: 0 };
    const unhear = w.demo.netcode?.onCorrection((c) => {
      if (samples.errors.length < 100_000) samples.errors.push(c.error);
      if (c.snapped) samples.correctionSnaps += 1;
    });
    let pressed: { at: number; from: Point } | undefined;
    let last: { at: number; players: Record<string, Point> } | undefined;
    const speeds: Record<string, number> = {};
    const me = () => w.demo.session?.playerId ?? "";
    const keydown = (event: { repeat: boolean; code: string }) => {
      const from = last?.players[me()];
      if (!event.repeat && event.code.startsWith("Arrow") && from && !pressed) pressed = { at: performance.now(), from };
    };
    w.addEventListener("keydown", keydown, true);
    w.demo.onDraw = (at, players) => {
      samples.frames += 1;
      const own = players[me()];
      if (pressed && own && Math.hypot(own.x - pressed.from.x, own.y - pressed.from.y) > 0.05) {
        samples.keyToDrawMs.push(at - pressed.at);
        pressed = undefined;
      }
      if (last && at > last.at) {
        const dt = (at - last.at) / 1000;
        for (const [id, p] of Object.entries(players)) {
          const before = last.players[id];
          if (!before) continue;
          const moved = Math.hypot(p.x - before.x, p.y - before.y);
          if (id === me()) {
            if (moved - speed * dt > snapUnits) samples.snaps += 1;
            continue;
          }
          const v = moved / dt;
          if (speeds[id] !== undefined && samples.speedChanges.length < 200_000) samples.speedChanges.push(Math.abs(v - speeds[id]));
          speeds[id] = v;
        }
      }
      last = { at, players: { ...players } };
    };
    w.__bench = { samples, stop: () => (w.removeEventListener("keydown", keydown, true), (w.demo.onDraw = undefined), unhear?.()) };
  }, [SNAP_UNITS, SPEED] as const);
}

export const samplesOf = (page: Page): Promise<PageSamples> =>
  page.evaluate(() => (globalThis as unknown as { __bench: { samples: PageSamples } }).__bench.samples);

/** The page's netcode figures: reconciliation errors (world units) and snaps it counted, its delay and clock. */
export const netcodeStats = (page: Page) =>
  page.evaluate(() => {
    const stats = (globalThis as unknown as { demo: { netcode?: { stats: { errors: readonly number[]; snaps: number; updates: number; delayMs: number; clock: { rttMs: number; jitterMs: number } } } } }).demo.netcode?.stats;
    return stats && { errors: [...stats.errors], snaps: stats.snaps, updates: stats.updates, delayMs: stats.delayMs, rttMs: stats.clock.rttMs, jitterMs: stats.clock.jitterMs };
  });

/** Switch the page's prediction and interpolation (the demo's toggles). */
export const setNetcode = (page: Page, predict: boolean, interpolate: boolean) =>
  page.evaluate(([p, i]) => {
    const netcode = (globalThis as unknown as { demo: { netcode?: { options: { predict: boolean; interpolate: boolean } } } }).demo.netcode;
    if (!netcode) throw new Error("no netcode on the page");
    netcode.options.predict = p;
    netcode.options.interpolate = i;
  }, [predict, interpolate] as const);
