// The match record and its log: the shapes a step reads and writes, a new match, and questions about a record.
import type { ErrorBody } from "../protocol/errors.ts";
import type { Game, PlayerId, PlayerInfo } from "./define-game.ts";
import { createRandom } from "./random.ts";
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
  const state = frozen(game.setup({ config, tick: 0, now: options.time, random, players: {} }));
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

/**
 * `value`, frozen with everything in it not frozen yet. Records and states are JSON values, so this is Immer's deep
 * freeze without its checks for drafts, Maps and Sets on every value; and it stops at a frozen part, so after a step
 * it walks only what the step made (a step's state is settled after every tick: 7 % of a step with Immer's).
 */
export function frozen<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === "object" && child !== null) frozen(child);
  }
  return value;
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
