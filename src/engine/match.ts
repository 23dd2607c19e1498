// The pure room state machine: a match record advanced by logged steps (seat changes, actions, ticks).
import { createDraft, finishDraft, freeze } from "immer";
import { errorBody, type ErrorBody, type ErrorCode } from "../protocol/errors.ts";
import { isRejection, type Game, type GameContext, type PlayerId, type PlayerInfo } from "./define-game.ts";
import { createRandom } from "./random.ts";
import type { Presence, Seat } from "../protocol/messages.ts";

// The roster's shape is on the wire, so the protocol defines it.
export type { Presence, Seat };

/** Everything that defines a match at one moment; persisted as the checkpoint. */
export interface MatchRecord<State = unknown> {
  readonly game: string;
  readonly preset: string;
  readonly seed: number;
  readonly rng: number;
  /** Ticks completed. */
  readonly tick: number;
  /** Grows by one per applied batch of entries and by one per tick: a pure function of the log. */
  readonly version: number;
  /** The roster: changes only on seat events, so its reference is stable across ticks. */
  readonly players: Readonly<Record<PlayerId, Seat>>;
  /** Highest action seq processed per player: the exactly-once watermark, stored with the effect. */
  readonly seqs: Readonly<Record<PlayerId, number>>;
  readonly state: State;
  /** Set once `endIf` returns a result; the match then takes no more actions or ticks. */
  readonly result?: unknown;
  /** Wall time of the step that produced `result`. */
  readonly endedAt?: number;
}

export type LogEntry =
  | { readonly k: "join"; readonly p: PlayerId; readonly name: string; readonly team: string }
  | { readonly k: "away"; readonly p: PlayerId; readonly until: number }
  | { readonly k: "back"; readonly p: PlayerId }
  | { readonly k: "leave"; readonly p: PlayerId }
  /** The game's deadline may have passed: run `onDeadline` if it has (a repeat is harmless). */
  | { readonly k: "deadline" }
  /** An action whose rule threw: its seq is used up and nothing else happens, also in a replay. */
  | { readonly k: "failed"; readonly p: PlayerId; readonly s: number }
  | { readonly k: "act"; readonly p: PlayerId; readonly s: number; readonly a: string; readonly d: unknown };

/** One durable unit of progress: at tick `at` and wall time `time`, apply `entries` in order, then run `ticks` ticks. */
export interface Step {
  readonly at: number;
  readonly time: number;
  readonly entries: readonly LogEntry[];
  readonly ticks: number;
}

/** What became of one action: `error` is absent when it was applied. */
export interface Outcome {
  readonly p: PlayerId;
  readonly s: number;
  readonly error?: ErrorBody;
  /** The exception behind `action_failed`, for the server log; never sent to clients. */
  readonly cause?: unknown;
}

export interface Advanced<State> {
  readonly record: MatchRecord<State>;
  readonly outcomes: readonly Outcome[];
  /** Set when a tick threw: the ticks from that one on were skipped and the state is as before it. */
  readonly tickError?: unknown;
}

export const configOf = <State, Config>(game: Game<State, Config>, record: MatchRecord): Config =>
  game.presets[record.preset] as Config;

export function createMatch<State, Config>(
  game: Game<State, Config>,
  options: { preset: string; seed: number; time: number },
): MatchRecord<State> {
  const config = game.presets[options.preset];
  if (config === undefined) throw new Error(`game ${game.name} has no preset ${options.preset}`);
  const random = createRandom(options.seed);
  const state = freeze(game.setup({ config, tick: 0, now: options.time, random }), true);
  return {
    game: game.name,
    preset: options.preset,
    seed: options.seed,
    rng: random.state,
    tick: 0,
    version: 0,
    players: {},
    seqs: {},
    state,
  };
}

/** The player behind a seat that has not been given up, if any. */
export const seatedPlayer = (record: MatchRecord, id: PlayerId): PlayerInfo | undefined => {
  const seat = Object.hasOwn(record.players, id) ? record.players[id] : undefined;
  return seat && seat.presence !== "left" ? { id, name: seat.name, team: seat.team } : undefined;
};

export const capacityOf = <S, C, V>(game: Game<S, C, V>, record: MatchRecord<S>): number =>
  game.maxPlayers(configOf(game, record));

export const seatsTaken = (record: MatchRecord): number =>
  Object.values(record.players).filter((seat) => seat.presence !== "left").length;

/** Seats per team, counting `extra` (seats promised but not yet taken) on top of the record's. */
export function teamCounts<S, C, V>(game: Game<S, C, V>, record: MatchRecord<S>, extra: Iterable<string> = []): Record<string, number> {
  const counts = Object.fromEntries(game.teams.map((team) => [team, 0]));
  for (const seat of Object.values(record.players)) {
    if (seat.presence !== "left") counts[seat.team] = (counts[seat.team] ?? 0) + 1;
  }
  for (const team of extra) counts[team] = (counts[team] ?? 0) + 1;
  return counts;
}

/** Apply one step. Pure: the input record is never changed, and a failing rule changes nothing. */
export function advance<State, Config>(
  game: Game<State, Config>,
  record: MatchRecord<State>,
  step: Step,
): Advanced<State> {
  const config = configOf(game, record);
  let { state, rng, tick, result, players, seqs } = record;
  const outcomes: Outcome[] = [];
  let tickError: unknown;
  // Copy-on-write: the roster keeps its reference (and costs no diff) unless a seat changes.
  const setSeat = (id: PlayerId, seat: Seat): void => void (players = { ...players, [id]: seat });

  // Each rule runs on its own draft with its own generator, so a throw or a rejection discards
  // exactly that rule's changes, random draws included.
  const attempt = (run: (draft: typeof state, ctx: GameContext<Config>) => unknown): { failed: boolean; value?: unknown } => {
    const random = createRandom(rng);
    const draft = createDraft(state as object) as typeof state;
    try {
      const value = run(draft, { config, tick, now: step.time, random });
      if (isRejection(value)) return { failed: true, value };
      state = finishDraft(draft) as State;
      rng = random.state;
      return { failed: false };
    } catch (error) {
      return { failed: true, value: error };
    }
  };

  for (const entry of step.entries) {
    if (entry.k === "deadline") {
      const due = game.deadline(state);
      if (due !== null && due <= step.time && result === undefined) attempt((draft, ctx) => game.onDeadline(draft as never, ctx));
      continue;
    }
    const seat = Object.hasOwn(players, entry.p) ? players[entry.p] : undefined;
    const player = { id: entry.p, name: seat?.name ?? "", team: seat?.team ?? "" };
    if (entry.k === "join") {
      setSeat(entry.p, { name: entry.name, team: entry.team, presence: "connected" });
      attempt((draft, ctx) => game.join(draft as never, { id: entry.p, name: entry.name, team: entry.team }, ctx));
      continue;
    }
    if (!seat || seat.presence === "left") {
      if (entry.k === "act") outcomes.push({ p: entry.p, s: entry.s, error: errorBody("not_a_player", { seq: entry.s }) });
      continue;
    }
    if (entry.k === "failed") seqs = { ...seqs, [entry.p]: Math.max(seqs[entry.p] ?? 0, entry.s) };
    else if (entry.k === "away") setSeat(entry.p, { name: seat.name, team: seat.team, presence: "away", awayUntil: entry.until });
    else if (entry.k === "back") setSeat(entry.p, { name: seat.name, team: seat.team, presence: "connected" });
    else if (entry.k === "leave") {
      setSeat(entry.p, { name: seat.name, team: seat.team, presence: "left" });
      attempt((draft, ctx) => game.leave(draft as never, player, ctx));
    } else {
      seqs = { ...seqs, [entry.p]: Math.max(seqs[entry.p] ?? 0, entry.s) };
      outcomes.push(act(entry, player));
    }
  }

  function act(entry: Extract<LogEntry, { k: "act" }>, player: PlayerInfo): Outcome {
    const refuse = (code: ErrorCode, detail?: string): Outcome => ({ p: entry.p, s: entry.s, error: errorBody(code, detail === undefined ? { seq: entry.s } : { seq: entry.s, detail }) });
    if (result !== undefined) return refuse("match_ended");
    const definition = Object.hasOwn(game.actions, entry.a) ? game.actions[entry.a] : undefined;
    if (!definition) return refuse("unknown_action");
    const payload = entry.d as Record<string, unknown>;
    const done = attempt((draft, ctx) => definition.apply(draft as never, payload, { ...ctx, player, seq: entry.s }));
    if (!done.failed) return { p: entry.p, s: entry.s };
    if (isRejection(done.value)) return refuse("rejected", done.value.reason);
    return { ...refuse("action_failed"), cause: done.value };
  }

  const dt = game.tickHz > 0 ? 1 / game.tickHz : 0;
  let ticked = 0;
  for (; ticked < step.ticks && result === undefined; ticked++) {
    const done = attempt((draft, ctx) => game.tick(draft as never, dt, ctx));
    if (done.failed) {
      tickError = done.value;
      break;
    }
    tick += 1;
    result = game.endIf(state, { config, tick, now: step.time, random: createRandom(rng) });
  }
  if (result === undefined && step.entries.length > 0) {
    result = game.endIf(state, { config, tick, now: step.time, random: createRandom(rng) });
  }

  const version = record.version + ticked + (step.entries.length > 0 ? 1 : 0);
  const next: MatchRecord<State> = { ...record, state, rng, tick, version, players, seqs };
  const ended = result !== undefined && record.result === undefined ? { result, endedAt: step.time } : {};
  return { record: { ...next, ...ended }, outcomes, tickError };
}

/**
 * The entries to log for a step, given how its actions ended: an action whose rule threw is logged as
 * `failed`, because a throw need not happen again in a replay (a bug fixed since, a fault injected).
 */
export function loggedEntries(entries: readonly LogEntry[], outcomes: readonly Outcome[]): LogEntry[] {
  const threw = new Set(outcomes.filter((o) => o.error?.code === "action_failed").map((o) => `${o.p}:${o.s}`));
  return entries.map((entry) => (entry.k === "act" && threw.has(`${entry.p}:${entry.s}`) ? { k: "failed", p: entry.p, s: entry.s } : entry));
}

/** Rebuild a record from a checkpoint and the steps logged after it, exactly as they ran live. */
export function replay<State, Config>(
  game: Game<State, Config>,
  checkpoint: MatchRecord<State>,
  steps: Iterable<Step>,
): MatchRecord<State> {
  let record = checkpoint;
  for (const step of steps) {
    if (step.at !== record.tick) throw new Error(`log step at tick ${step.at} does not follow tick ${record.tick}`);
    record = advance(game, record, step).record;
  }
  return record;
}
