// The pure room state machine: a match record advanced by logged steps (seat changes, actions, ticks).
import { createDraft, finishDraft, freeze } from "immer";
import { errorBody, type ErrorBody } from "./errors.ts";
import { isRejection, type Game, type GameContext, type PlayerId, type PlayerInfo } from "./define-game.ts";
import { createRandom } from "./random.ts";

export interface Seat {
  readonly name: string;
  readonly team: string;
  /** Highest action seq processed for this player: the exactly-once watermark. */
  readonly lastSeq: number;
}

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
  readonly players: Readonly<Record<PlayerId, Seat>>;
  readonly state: State;
  /** Set once `endIf` returns a result; the match then takes no more actions or ticks. */
  readonly result?: unknown;
}

export type LogEntry =
  | { readonly k: "join"; readonly p: PlayerId; readonly name: string; readonly team: string }
  | { readonly k: "leave"; readonly p: PlayerId }
  | { readonly k: "act"; readonly p: PlayerId; readonly s: number; readonly a: string; readonly d: unknown };

/** One durable unit of progress: at tick `at`, apply `entries` in order, then run `ticks` ticks. */
export interface Step {
  readonly at: number;
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
  options: { preset: string; seed: number },
): MatchRecord<State> {
  const config = game.presets[options.preset];
  if (config === undefined) throw new Error(`game ${game.name} has no preset ${options.preset}`);
  const random = createRandom(options.seed);
  const state = freeze(game.setup({ config, tick: 0, random }), true);
  return {
    game: game.name,
    preset: options.preset,
    seed: options.seed,
    rng: random.state,
    tick: 0,
    version: 0,
    players: {},
    state,
  };
}

export const playerInfo = (record: MatchRecord, id: PlayerId): PlayerInfo | undefined => {
  const seat = record.players[id];
  return seat && { id, name: seat.name, team: seat.team };
};

/** Seats per team, counting `extra` (seats promised but not yet taken) on top of the record's. */
export function teamCounts(game: Game, record: MatchRecord, extra: Iterable<string> = []): Record<string, number> {
  const counts = Object.fromEntries(game.teams.map((team) => [team, 0]));
  for (const seat of Object.values(record.players)) counts[seat.team] = (counts[seat.team] ?? 0) + 1;
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
  let { state, rng, tick, result } = record;
  const players: Record<PlayerId, Seat> = { ...record.players };
  const outcomes: Outcome[] = [];
  let tickError: unknown;

  // Each rule runs on its own draft with its own generator, so a throw or a rejection discards
  // exactly that rule's changes, random draws included.
  const attempt = (run: (draft: typeof state, ctx: GameContext<Config>) => unknown): { failed: boolean; value?: unknown } => {
    const random = createRandom(rng);
    const draft = createDraft(state as object) as typeof state;
    try {
      const value = run(draft, { config, tick, random });
      if (isRejection(value)) return { failed: true, value };
      state = finishDraft(draft) as State;
      rng = random.state;
      return { failed: false };
    } catch (error) {
      return { failed: true, value: error };
    }
  };

  for (const entry of step.entries) {
    if (entry.k === "join") {
      const player = { id: entry.p, name: entry.name, team: entry.team };
      players[entry.p] = { name: entry.name, team: entry.team, lastSeq: players[entry.p]?.lastSeq ?? 0 };
      attempt((draft, ctx) => game.join(draft as never, player, ctx));
    } else if (entry.k === "leave") {
      const seat = players[entry.p];
      if (!seat) continue;
      delete players[entry.p];
      attempt((draft, ctx) => game.leave(draft as never, { id: entry.p, name: seat.name, team: seat.team }, ctx));
    } else {
      const seat = players[entry.p];
      if (!seat) {
        outcomes.push({ p: entry.p, s: entry.s, error: errorBody("not_a_player", { seq: entry.s }) });
        continue;
      }
      players[entry.p] = { ...seat, lastSeq: Math.max(seat.lastSeq, entry.s) };
      const definition = game.actions[entry.a];
      if (result !== undefined) {
        outcomes.push({ p: entry.p, s: entry.s, error: errorBody("match_ended", { seq: entry.s }) });
        continue;
      }
      if (!definition) {
        outcomes.push({ p: entry.p, s: entry.s, error: errorBody("unknown_action", { seq: entry.s }) });
        continue;
      }
      const player = { id: entry.p, name: seat.name, team: seat.team };
      const payload = entry.d as Record<string, unknown>;
      const done = attempt((draft, ctx) => definition.apply(draft as never, payload, { ...ctx, player, seq: entry.s }));
      if (!done.failed) outcomes.push({ p: entry.p, s: entry.s });
      else if (isRejection(done.value)) {
        outcomes.push({ p: entry.p, s: entry.s, error: errorBody("rejected", { seq: entry.s, detail: done.value.reason }) });
      } else {
        outcomes.push({ p: entry.p, s: entry.s, error: errorBody("action_failed", { seq: entry.s }), cause: done.value });
      }
    }
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
    result = game.endIf(state, { config, tick, random: createRandom(rng) });
  }
  if (result === undefined && step.entries.length > 0) {
    result = game.endIf(state, { config, tick, random: createRandom(rng) });
  }

  const version = record.version + ticked + (step.entries.length > 0 ? 1 : 0);
  const next: MatchRecord<State> = { ...record, state, rng, tick, version, players };
  return { record: result === undefined ? next : { ...next, result }, outcomes, tickError };
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
