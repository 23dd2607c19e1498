// Netcode for a realtime game: clock sync, prediction of your own player, interpolation of everyone else, on one timeline.
import type { Point, Prediction } from "../../../src/protocol/prediction.ts";
import type { RoomView } from "../../../src/protocol/messages.ts";
import { createTickClock, type ClockStats } from "./clock.ts";
import { createTickBuffer } from "./interpolate-ticks.ts";
import { createPredictor, defaultPredictorOptions, type Correction, type PredictorOptions } from "./predict.ts";

/** What the netcode reads of a session (a `GameSession` has it all). */
export interface NetcodeSession<View> {
  readonly client: {
    readonly version: number;
    /** The highest seq the view behind the held update reflects (the update's `applied ?? ack`): what reconciliation drops inputs by. */
    readonly lastApplied: number;
    readonly welcome?: { readonly tickHz: number } | undefined;
  };
  readonly view: RoomView<View | null> | undefined;
  readonly playerId: string | undefined;
  readonly role: "player" | "spectator" | undefined;
  readonly latencyMs: number | undefined;
  subscribe(listener: () => void): () => void;
}

export interface NetcodeOptions<Input> extends PredictorOptions {
  /** Sends the game's steering action and returns its seq (`(input) => session.send("input", input)`). */
  readonly send: (input: Input) => number;
  /** Draw your own player predicted (true) or, like everyone else, as the room last said (false). Changeable at any time. */
  predict: boolean;
  /** Draw the others interpolated on the tick timeline (true) or at their newest received position (false). */
  interpolate: boolean;
  /** The local clock (ms); `performance.now` by default. */
  readonly now?: () => number;
}

export interface NetcodeStats {
  readonly clock: ClockStats;
  /** How far behind the newest update the others are drawn (ms): one tick plus the measured jitter. */
  readonly delayMs: number;
  /** Authoritative updates reconciled so far, and the snaps among them. */
  readonly updates: number;
  readonly snaps: number;
  /** The last 1,000 reconciliation errors (world units), newest last. */
  readonly errors: readonly number[];
}

export interface Netcode<Input> {
  /** Send an input now; with prediction on, your drawn position follows it on the next frame. */
  send(input: Input): number;
  /** Where to draw everyone at local time `now` (your own player under your id). */
  frame(now?: number): Record<string, Point>;
  /** How many ticks behind the present your screen shows the others: what a lag-compensated rule rewinds (tag's `lag`). */
  viewLagTicks(): number;
  readonly options: NetcodeOptions<Input>;
  readonly stats: NetcodeStats;
  /** Called with each authoritative update's correction. Returns the unsubscribe. */
  onCorrection(listener: (correction: Correction) => void): () => void;
  stop(): void;
}

const KEEP_ERRORS = 1_000;

/**
 * Netcode over `session` with the game's own prediction rule (`arenaPrediction` from src/games/arena-predict.ts).
 * Everything it keeps is bounded: 32 updates of positions, the clock's 40 arrivals, the unacknowledged inputs.
 */
export function createNetcode<View, Input>(
  session: NetcodeSession<View>,
  rules: Prediction<View, Input>,
  options: Partial<Omit<NetcodeOptions<Input>, "send">> & Pick<NetcodeOptions<Input>, "send">,
): Netcode<Input> {
  const settings: NetcodeOptions<Input> = { ...defaultPredictorOptions, predict: true, interpolate: true, ...options };
  const now = settings.now ?? (() => performance.now());
  const periodMs = 1000 / (session.client.welcome?.tickHz || 20);
  const clock = createTickClock(periodMs);
  const others = createTickBuffer();
  const me = session.playerId;
  const predictor = me && session.role === "player" ? createPredictor(rules, me, clock, settings) : undefined;
  const errors: number[] = [];
  const listeners = new Set<(correction: Correction) => void>();
  let counts = { updates: 0, snaps: 0 };
  let version = -1;
  let latency: number | undefined;

  const delayMs = () => periodMs + clock.stats.jitterMs;

  function changed(): void {
    if (session.latencyMs !== undefined && session.latencyMs !== latency) clock.roundTrip((latency = session.latencyMs));
    const game = session.view?.game;
    const held = session.client.version;
    if (game === undefined || game === null || held === version || held === -1) return;
    version = held;
    const at = now();
    const tick = clock.observe(at, held);
    const points: Record<string, Point> = {};
    for (const id of Object.keys(session.view?.roster ?? {})) {
      const point = rules.locate(game, id);
      if (point) points[id] = { x: point.x, y: point.y };
    }
    others.push(tick, points);
    if (!predictor) return;
    // What the update's view reflects (set before the view is taken), which may be ahead of the durable `lastAcked`.
    const correction = predictor.authoritative(game, tick, session.client.lastApplied, at);
    if (!correction) return;
    counts = { updates: counts.updates + 1, snaps: counts.snaps + (correction.snapped ? 1 : 0) };
    errors.push(correction.error);
    if (errors.length > KEEP_ERRORS) errors.shift();
    for (const listener of listeners) listener(correction);
  }

  changed();
  const unsubscribe = session.subscribe(changed);
  return {
    send(input) {
      const seq = settings.send(input);
      if (seq > 0) predictor?.sent(seq, input, now());
      return seq;
    },
    frame(at = now()) {
      const drawn = settings.interpolate ? others.sample(clock.tickAt(at - delayMs())) : others.latest();
      const own = settings.predict ? predictor?.position(at) : undefined;
      if (me && own) drawn[me] = own;
      return drawn;
    },
    viewLagTicks: () => Math.max(0, Math.round((clock.stats.rttMs + (settings.interpolate ? delayMs() : 0)) / periodMs)),
    options: settings,
    get stats() {
      return { clock: clock.stats, delayMs: delayMs(), ...counts, errors };
    },
    onCorrection(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: unsubscribe,
  };
}
