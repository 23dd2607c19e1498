// The pure room state machine: a match record advanced by logged steps (seat changes, actions, ticks).
import { createDraft, finishDraft, freeze } from "immer";
import { errorBody, type ErrorBody, type ErrorCode } from "../protocol/errors.ts";
import { isRejection, type Game, type GameContext, type PlayerId, type PlayerInfo } from "./define-game.ts";
import { createRandom } from "./random.ts";
import { createHistory, type PositionHistory } from "./rewind.ts";
import type { Presence, Seat } from "../protocol/messages.ts";

// The roster's shape is on the wire, so the protocol defines it.
export type { Presence, Seat };

/**
 * Why a match ended: the game's `endIf` (finished), nobody connected for too long (abandoned), the game's
 * code changed in a way it declared incompatible (incompatible), or its record reached the size budget (limit).
 */
export type EndReason = "finished" | "abandoned" | "incompatible" | "limit";

/** Everything that defines a match at one moment; the room stores it after every step. */
export interface MatchRecord<State = unknown> {
  readonly game: string;
  /** The game's `version` when this record was written: a room restored under another version migrates or ends. */
  readonly gameVersion: number;
  readonly preset: string;
  readonly seed: number;
  readonly rng: number;
  /** Ticks completed. */
  readonly tick: number;
  /** Grows by one per applied batch of entries and by one per tick. */
  readonly version: number;
  /** The roster of seated players: changes only on seat events, so its reference is stable across ticks. */
  readonly players: Readonly<Record<PlayerId, Seat>>;
  /** Highest action seq processed per seated player: the exactly-once watermark, stored with the effect. */
  readonly seqs: Readonly<Record<PlayerId, number>>;
  /**
   * The user behind each seat whose id is a per-match alias (GameSpec `playerIds: "alias"`), for the results;
   * games and views never see it. Seats whose id is the user id have no entry.
   */
  readonly users?: Readonly<Record<PlayerId, string>>;
  readonly state: State;
  /** Wall time when the seats first reached the game's `minPlayers`: the match is in progress from then on. */
  readonly startedAt?: number;
  /** Wall time since which no seated player has been connected, once someone has joined. */
  readonly vacantSince?: number;
  /** Set once the match ends (null when it ended without the game's result); no more actions or ticks then. */
  readonly result?: unknown;
  /** Wall time of the step that ended the match. */
  readonly endedAt?: number;
  readonly endReason?: EndReason;
}

export type LogEntry =
  | { readonly kind: "join"; readonly player: PlayerId; readonly name: string; readonly team: string; readonly user?: string }
  | { readonly kind: "away"; readonly player: PlayerId; readonly until: number }
  | { readonly kind: "back"; readonly player: PlayerId }
  | { readonly kind: "leave"; readonly player: PlayerId }
  /** The game's deadline may have passed: run `onDeadline` if it has (a repeat is harmless). */
  | { readonly kind: "deadline" }
  /** The room ends the match for a reason of its own (abandonment, the record's budget). */
  | { readonly kind: "end"; readonly reason: Exclude<EndReason, "finished"> }
  /**
   * The room woke after its instance died while ticking: versions up to `skip` past the stored record may
   * have been sent but never stored, so the record's version jumps past them and no version means two states.
   */
  | { readonly kind: "resume"; readonly skip: number }
  /** An action whose rule threw: its seq is used up and nothing else happens, also in a replay. */
  | { readonly kind: "failed"; readonly player: PlayerId; readonly seq: number }
  | { readonly kind: "act"; readonly player: PlayerId; readonly seq: number; readonly action: string; readonly payload: unknown };

/** One durable unit of progress: at tick `tick` and wall time `time`, apply `entries` in order, then run `ticks` ticks. */
export interface Step {
  readonly tick: number;
  readonly time: number;
  readonly entries: readonly LogEntry[];
  readonly ticks: number;
}

/** What became of one action: `error` is absent when it was applied. */
export interface Outcome {
  readonly player: PlayerId;
  readonly seq: number;
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
  const state = freeze(game.setup({ config, tick: 0, now: options.time, random, players: {} }), true);
  return {
    game: game.name,
    gameVersion: game.version,
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

/** The user behind a seat: its alias's user, or the seat id itself. */
export const userOf = (record: MatchRecord, id: PlayerId): string => (record.users !== undefined && Object.hasOwn(record.users, id) ? (record.users[id] as string) : id);

/** The player behind a seat, if any. */
export const seatedPlayer = (record: MatchRecord, id: PlayerId): PlayerInfo | undefined => {
  const seat = Object.hasOwn(record.players, id) ? record.players[id] : undefined;
  return seat && { id, name: seat.name, team: seat.team };
};

export const capacityOf = <S, C, V>(game: Game<S, C, V>, record: MatchRecord<S>): number =>
  game.maxPlayers(configOf(game, record));

export const seatsTaken = (record: MatchRecord): number => Object.keys(record.players).length;

export const isEnded = (record: MatchRecord): boolean => record.result !== undefined;

/** Seats per team, counting `extra` (seats promised but not yet taken) on top of the record's. */
export function teamCounts<S, C, V>(game: Game<S, C, V>, record: MatchRecord<S>, extra: Iterable<string> = []): Record<string, number> {
  const counts = Object.fromEntries(game.teams.map((team) => [team, 0]));
  for (const seat of Object.values(record.players)) counts[seat.team] = (counts[seat.team] ?? 0) + 1;
  for (const team of extra) counts[team] = (counts[team] ?? 0) + 1;
  return counts;
}

const withoutKey = <T>(map: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const { [key]: _gone, ...rest } = map;
  return rest;
};

/**
 * Apply one step. Pure: the input record is never changed, and a failing rule changes nothing. A game with
 * `lagCompensation` reads `ctx.past` from `history`, which this records the positions after each tick into.
 */
export function advance<State, Config>(
  game: Game<State, Config>,
  record: MatchRecord<State>,
  step: Step,
  history?: PositionHistory,
): Advanced<State> {
  const config = configOf(game, record);
  let { state, rng, tick, result, players, seqs, endReason, users } = record;
  const outcomes: Outcome[] = [];
  let tickError: unknown;
  // Copy-on-write: the roster keeps its reference (and costs no diff) unless a seat changes.
  const setSeat = (id: PlayerId, seat: Seat): void => void (players = { ...players, [id]: seat });
  const lag = game.lagCompensation;
  const past = history && lag ? (at: number) => history.at(at) : undefined;
  const remember = (): void => void (history && lag && history.record(tick, lag.positions(state)));
  const contextNow = (): GameContext<Config> => ({ config, tick, now: step.time, random: createRandom(rng), players, past });

  // Each rule runs on its own draft with its own generator, so a throw or a rejection discards
  // exactly that rule's changes, random draws included.
  const attempt = (run: (draft: typeof state, ctx: GameContext<Config>) => unknown): { failed: boolean; value?: unknown } => {
    const random = createRandom(rng);
    const draft = createDraft(state as object) as typeof state;
    try {
      const value = run(draft, { config, tick, now: step.time, random, players, past });
      if (isRejection(value)) return { failed: true, value };
      state = finishDraft(draft) as State;
      rng = random.state;
      return { failed: false };
    } catch (error) {
      return { failed: true, value: error };
    }
  };

  let skipped = 0;
  for (const entry of step.entries) {
    if (entry.kind === "resume") {
      skipped += entry.skip;
      continue;
    }
    if (entry.kind === "deadline") {
      const due = game.deadline(state);
      if (due !== null && due <= step.time && result === undefined) attempt((draft, ctx) => game.onDeadline(draft as never, ctx));
      continue;
    }
    if (entry.kind === "end") {
      if (result !== undefined) continue;
      endReason = entry.reason;
      result = entry.reason === "abandoned" ? (game.onAbandon(state, contextNow()) ?? null) : null;
      continue;
    }
    const seat = Object.hasOwn(players, entry.player) ? players[entry.player] : undefined;
    if (entry.kind === "join") {
      const player = { id: entry.player, name: entry.name, team: entry.team };
      setSeat(entry.player, { name: entry.name, team: entry.team, presence: "connected" });
      if (entry.user !== undefined && entry.user !== entry.player) users = { ...users, [entry.player]: entry.user };
      attempt((draft, ctx) => game.join(draft as never, player, ctx));
      continue;
    }
    if (!seat) {
      if (entry.kind === "act") outcomes.push({ player: entry.player, seq: entry.seq, error: errorBody("not_a_player", { seq: entry.seq }) });
      continue;
    }
    const player = { id: entry.player, name: seat.name, team: seat.team };
    if (entry.kind === "failed") seqs = { ...seqs, [entry.player]: Math.max(seqs[entry.player] ?? 0, entry.seq) };
    else if (entry.kind === "away") setSeat(entry.player, { name: seat.name, team: seat.team, presence: "away", awayUntil: entry.until });
    else if (entry.kind === "back") setSeat(entry.player, { name: seat.name, team: seat.team, presence: "connected" });
    else if (entry.kind === "leave") {
      // The record forgets a player who left; what the game keeps of them is in its own state.
      players = withoutKey(players, entry.player);
      seqs = withoutKey(seqs, entry.player);
      if (users !== undefined && Object.hasOwn(users, entry.player)) users = withoutKey(users, entry.player);
      attempt((draft, ctx) => game.leave(draft as never, player, ctx));
    } else {
      seqs = { ...seqs, [entry.player]: Math.max(seqs[entry.player] ?? 0, entry.seq) };
      outcomes.push(act(entry, player));
    }
  }

  function act(entry: Extract<LogEntry, { kind: "act" }>, player: PlayerInfo): Outcome {
    const refuse = (code: ErrorCode, detail?: string): Outcome => ({ player: entry.player, seq: entry.seq, error: errorBody(code, detail === undefined ? { seq: entry.seq } : { seq: entry.seq, detail }) });
    if (result !== undefined) return refuse("match_ended");
    const definition = Object.hasOwn(game.actions, entry.action) ? game.actions[entry.action] : undefined;
    if (!definition) return refuse("unknown_action");
    const payload = entry.payload as Record<string, unknown>;
    const done = attempt((draft, ctx) => definition.apply(draft as never, payload, { ...ctx, player, seq: entry.seq }));
    if (!done.failed) return { player: entry.player, seq: entry.seq };
    if (isRejection(done.value)) return refuse("rejected", done.value.reason);
    return { ...refuse("action_failed"), cause: done.value };
  }

  const dt = game.tickHz > 0 ? 1 / game.tickHz : 0;
  let ticked = 0;
  if (step.ticks > 0) remember();
  for (; ticked < step.ticks && result === undefined; ticked++) {
    const done = attempt((draft, ctx) => game.tick(draft as never, dt, ctx));
    if (done.failed) {
      tickError = done.value;
      break;
    }
    tick += 1;
    remember();
    result = game.endIf(state, contextNow());
    if (result !== undefined) endReason = "finished";
  }
  if (result === undefined && step.entries.length > 0) {
    result = game.endIf(state, contextNow());
    if (result !== undefined) endReason = "finished";
  }

  const version = record.version + skipped + ticked + (step.entries.length > 0 ? 1 : 0);
  const connected = Object.values(players).some((seat) => seat.presence === "connected");
  const next: MatchRecord<State> = {
    ...record,
    state,
    rng,
    tick,
    version,
    players,
    seqs,
    ...(users === undefined ? {} : { users }),
    ...lifeMarks(record, players, connected, game.minPlayers, step.time),
  };
  const ended = result !== undefined && record.result === undefined ? { result, endedAt: step.time, endReason } : {};
  return { record: { ...next, ...ended }, outcomes, tickError };
}

/** When the match started and since when nobody is connected: derived from seat changes only. */
function lifeMarks(record: MatchRecord, players: MatchRecord["players"], connected: boolean, minPlayers: number, time: number): Pick<MatchRecord, "startedAt" | "vacantSince"> {
  if (players === record.players) return {};
  const startedAt = record.startedAt ?? (Object.keys(players).length >= minPlayers ? time : undefined);
  const vacantSince = connected ? undefined : (record.vacantSince ?? time);
  return { startedAt, vacantSince };
}

/**
 * The entries to log for a step, given how its actions ended: an action whose rule threw is logged as
 * `failed`, because a throw need not happen again in a replay (a bug fixed since, a fault injected).
 */
export function loggedEntries(entries: readonly LogEntry[], outcomes: readonly Outcome[]): LogEntry[] {
  const threw = new Set(outcomes.filter((o) => o.error?.code === "action_failed").map((o) => `${o.player}:${o.seq}`));
  return entries.map((entry) => (entry.kind === "act" && threw.has(`${entry.player}:${entry.seq}`) ? { kind: "failed", player: entry.player, seq: entry.seq } : entry));
}

/** Rebuild a record from the one a match started with and the steps logged after it, exactly as they ran live. */
export function replay<State, Config>(
  game: Game<State, Config>,
  initial: MatchRecord<State>,
  steps: Iterable<Step>,
): MatchRecord<State> {
  let record = initial;
  // The same bounded history the live room keeps in memory, built the same way as the steps run.
  const history = game.lagCompensation ? createHistory(game.lagCompensation.windowTicks) : undefined;
  for (const step of steps) {
    if (step.tick !== record.tick) throw new Error(`log step at tick ${step.tick} does not follow tick ${record.tick}`);
    record = advance(game, record, step, history).record;
  }
  return record;
}
