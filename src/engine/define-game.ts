// The game-definition contract: what a game file provides and the helpers it uses to write it.
import type { Draft } from "immer";
import type { z } from "zod";
import type { Seat } from "./match.ts";
import type { GameTypes } from "../protocol/game-types.ts";
import type { ChatSettings } from "../protocol/messages.ts";
import type { Random } from "./random.ts";
import type { Point, Prediction } from "../protocol/prediction.ts";

// What a game shares with the SDK, defined with the protocol (the SDK never imports the engine).
export type { Point, Prediction };

export type PlayerId = string;

/** A seated player as the engine knows it; games receive it in join/leave/views. */
export interface PlayerInfo {
  readonly id: PlayerId;
  readonly name: string;
  readonly team: string;
}

/** Everything a rule may depend on besides the state: no clock, no I/O. */
export interface GameContext<Config> {
  readonly config: Config;
  /** Ticks completed so far (0 before the first tick). */
  readonly tick: number;
  /**
   * Wall-clock time of the step being applied (ms since the epoch). It is logged with the step, so a
   * replay sees the same value: use it for deadlines, never for simulation (use `dt` and `tick`).
   */
  readonly now: number;
  /** Seeded generator; its state lives in the match record, never in a view. */
  readonly random: Random;
  /** The roster: every seated player with name, team and presence. A player who left is not in it. */
  readonly players: Readonly<Record<PlayerId, Seat>>;
  /**
   * Where every player was after tick `tick`, for a game with `lagCompensation`: the room's bounded history
   * (`windowTicks` back). Undefined outside the window, for a tick not run yet, and in a game without it.
   */
  readonly past?: (tick: number) => Readonly<Record<PlayerId, Point>> | undefined;
}

/** Server lag compensation, opt-in: the room keeps every player's position for the last `windowTicks` ticks (ctx.past). */
export interface LagCompensation<State> {
  /** How far back a rule may look, in ticks: the most a player's own lag can buy them. */
  readonly windowTicks: number;
  positions(state: State): Readonly<Record<PlayerId, Point>>;
}

/**
 * Room timings a game may set for itself, in seconds; each overrides the deployment's var of the same
 * meaning (see src/worker/settings.ts). 0 is a value: `abandonAfterSeconds: 0` ends a match as soon as
 * nobody is connected.
 */
export interface GameSettings {
  readonly reconnectGraceSeconds?: number;
  readonly idleTimeoutSeconds?: number;
  readonly abandonAfterSeconds?: number;
}

export interface ActionContext<Config> extends GameContext<Config> {
  readonly player: PlayerInfo;
  /** The action's per-player sequence number, for games that echo it (input acknowledgement). */
  readonly seq: number;
}

/** A refusal: the state is left untouched and only the acting player hears `reason`. */
export interface Rejection<Reason extends string = string> {
  readonly rejected: true;
  readonly reason: Reason;
}

/** The reason stays a literal type, so the SDK knows every reason a game can give. */
export const reject = <const Reason extends string>(reason: Reason): Rejection<Reason> => ({ rejected: true, reason });

export const isRejection = (value: unknown): value is Rejection =>
  typeof value === "object" && value !== null && (value as Rejection).rejected === true;

/** A zod schema the engine can validate a payload with; payloads are always JSON objects. */
export type ActionSchema = z.ZodType<Record<string, unknown>>;

export interface ActionDefinition<State, Config, Schema extends ActionSchema> {
  readonly schema: Schema;
  apply(draft: Draft<State>, payload: z.output<Schema>, ctx: ActionContext<Config>): void | Rejection;
}

type ActionDefinitions<State, Config, Schemas extends Record<string, ActionSchema>> = {
  [Name in keyof Schemas]: ActionDefinition<State, Config, Schemas[Name]>;
};

/** The reason of each rejection in a handler's return type (distributes over the union it returns). */
type ReasonIn<Returned> = Returned extends Rejection<infer Reason> ? Reason : never;

/** Every reason the handlers in `Actions` can return, read from their return types. */
export type ReasonsIn<Actions> = {
  [Name in keyof Actions]: Actions[Name] extends { apply(...args: never[]): infer Returned } ? ReasonIn<Returned> : never;
}[keyof Actions];

/** Each action's payload as a client writes it (zod's input type: defaults may be left out). */
export type PayloadsOf<Schemas extends Record<string, ActionSchema>> = { [Name in keyof Schemas]: z.input<Schemas[Name]> };

export interface GameSpec<State, Config, Schemas extends Record<string, ActionSchema>, View, Result = never, Actions = unknown> {
  readonly name: string;
  readonly teams: readonly string[];
  /** Seats in a room: a number, or one per preset. */
  readonly maxPlayers: number | ((config: Config) => number);
  /** Players needed before the room reports itself as playing rather than waiting (default 1). */
  readonly minPlayers?: number;
  /** Named option sets; `default` is used when a room is created without a preset. */
  readonly presets: { readonly default: Config } & Readonly<Record<string, Config>>;
  /**
   * Bump it when a change to the rules or the state's shape would break a match saved by the old code.
   * A room restored under another version calls `migrate`, or ends its match as `incompatible`. Default 1.
   */
  readonly version?: number;
  /**
   * Turn a state saved by an older `version` into one the current rules can run; return null when it
   * cannot be done (the match then ends as `incompatible`). Without it, any version change ends the match.
   */
  migrate?(state: unknown, fromVersion: number): State | null;
  /**
   * Whether a new player may take a free seat now. Default: always (drop-in games); a duel says "only
   * before the first shot", so quick play never seats a newcomer in a match in progress, and a direct
   * join is refused with `join_in_progress`.
   */
  joinable?(state: State, config: Config): boolean;
  /** The match's result when the room ends it for being abandoned (nobody connected); default null. */
  onAbandon?(state: State, ctx: GameContext<Config>): unknown;
  /** This game's own room timings, where the deployment's defaults do not fit. */
  readonly settings?: GameSettings;
  /**
   * What a seat's player id is: "user" (default) the player's stable user id (the same in every room), or
   * "alias" a random id per match, so the game and the other players never learn who is who across matches.
   */
  readonly playerIds?: "user" | "alias";
  /** Whether anyone may watch (default true); false refuses `POST /api/rooms/:id/spectate` with `spectating_off`. */
  readonly spectators?: boolean;
  /** Room chat (docs/chat.md): what differs from `defaultChat`, for every preset or per preset's config. */
  readonly chat?: Partial<ChatSettings> | ((config: Config) => Partial<ChatSettings>);
  setup(ctx: GameContext<Config>): State;
  /** Seat a new player; defaults to the team with the fewest players (ties: list order). */
  assignTeam?(counts: Readonly<Record<string, number>>, config: Config): string;
  join?(draft: Draft<State>, player: PlayerInfo, ctx: GameContext<Config>): void;
  leave?(draft: Draft<State>, player: PlayerInfo, ctx: GameContext<Config>): void;
  /** `Actions` is the same object as the compiler saw it, so the reasons each handler returns can be read back. */
  readonly actions: ActionDefinitions<State, Config, Schemas> & Actions;
  /** Fixed steps per second; with `tick` it makes the game realtime, without both it is turn-based. */
  readonly tickHz?: number;
  tick?(draft: Draft<State>, dt: number, ctx: GameContext<Config>): void;
  /**
   * What one team may see. Return unchanged parts of `state` by reference so the diff can skip them.
   * Without it every team sees the whole state.
   */
  teamView?(state: State, team: string, config: Config): View;
  /** Client-side prediction of the player's own movement from this game's own rule (see `Prediction`). */
  readonly predict?: { [Name in keyof Schemas]: Prediction<View, z.output<Schemas[Name]>> & { readonly action: Name } }[keyof Schemas];
  /** A bounded history of positions the room keeps so a rule can rewind to what a player saw (see `LagCompensation`). */
  readonly lagCompensation?: LagCompensation<State>;
  /** What one player may see; when present each player is its own audience. */
  playerView?(state: State, player: PlayerInfo, config: Config): View;
  /**
   * What spectators see: nothing any team keeps secret. Without it spectators see the whole state
   * if the game has no team or player view, and nothing (null) if it has one.
   */
  spectatorView?(state: State, config: Config): View | null;
  /** A defined result ends the match; clients receive it typed as what this returns. */
  endIf?(state: State, ctx: GameContext<Config>): Result | undefined;
  /**
   * The wall-clock time (ms) of the game's next deadline, if it has one: a turn timer, say. The room
   * keeps an alarm for it, across hibernation and restarts, and then calls `onDeadline`.
   */
  deadline?(state: State): number | null;
  /** Runs when the deadline has passed (ctx.now >= deadline). Runs at most once per deadline value. */
  onDeadline?(draft: Draft<State>, ctx: GameContext<Config>): void;
}

/** The normalized game the engine runs: every optional hook filled in once. */
export interface Game<State = unknown, Config = unknown, View = unknown> {
  readonly name: string;
  readonly version: number;
  migrate(state: unknown, fromVersion: number): State | null;
  joinable(state: State, config: Config): boolean;
  onAbandon(state: State, ctx: GameContext<Config>): unknown;
  readonly settings: GameSettings;
  readonly playerIds: "user" | "alias";
  readonly spectators: boolean;
  chat(config: Config): ChatSettings;
  readonly teams: readonly string[];
  maxPlayers(config: Config): number;
  readonly minPlayers: number;
  readonly presets: Readonly<Record<string, Config>>;
  readonly tickHz: number;
  readonly realtime: boolean;
  readonly hasPlayerView: boolean;
  readonly lagCompensation: LagCompensation<State> | null;
  /** The spec's `predict`, kept so a check can hold a client's registry of prediction rules to it (the room never runs it). */
  readonly predict: Prediction<View, unknown> | null;
  setup(ctx: GameContext<Config>): State;
  assignTeam(counts: Readonly<Record<string, number>>, config: Config): string;
  join(draft: Draft<State>, player: PlayerInfo, ctx: GameContext<Config>): void;
  leave(draft: Draft<State>, player: PlayerInfo, ctx: GameContext<Config>): void;
  readonly actions: Readonly<Record<string, ActionDefinition<State, Config, ActionSchema>>>;
  tick(draft: Draft<State>, dt: number, ctx: GameContext<Config>): void;
  teamView(state: State, team: string, config: Config): View;
  playerView(state: State, player: PlayerInfo, config: Config): View;
  spectatorView(state: State, config: Config): View | null;
  endIf(state: State, ctx: GameContext<Config>): unknown;
  deadline(state: State): number | null;
  onDeadline(draft: Draft<State>, ctx: GameContext<Config>): void;
}

const noop = (): void => {};

/** Chat a game gets without saying anything: every channel, and spectators read `all`. */
export const defaultChat: ChatSettings = { all: true, team: true, whisper: true, spectators: "read" };

const fewestPlayers =
  (teams: readonly string[]) =>
  (counts: Readonly<Record<string, number>>): string =>
    teams.reduce((best, team) => ((counts[team] ?? 0) < (counts[best] ?? 0) ? team : best), teams[0] as string);

export function defineGame<State, Config, Schemas extends Record<string, ActionSchema>, View = State, Result = never, Actions = unknown>(
  spec: GameSpec<State, Config, Schemas, View, Result, Actions>,
): Game<State, Config, View> & GameTypes<PayloadsOf<Schemas>, View, Result, ReasonsIn<Actions>> {
  if (spec.teams.length === 0) throw new Error(`game ${spec.name}: needs at least one team`);
  if ((spec.tickHz === undefined) !== (spec.tick === undefined)) {
    throw new Error(`game ${spec.name}: tickHz and tick go together`);
  }
  if (spec.lagCompensation && !(Number.isInteger(spec.lagCompensation.windowTicks) && spec.lagCompensation.windowTicks > 0 && spec.tick)) {
    throw new Error(`game ${spec.name}: lagCompensation needs a tick and a positive whole windowTicks`);
  }
  if ((spec.deadline === undefined) !== (spec.onDeadline === undefined)) {
    throw new Error(`game ${spec.name}: deadline and onDeadline go together`);
  }
  const wholeState = (state: State): View => state as unknown as View;
  const teamView = spec.teamView ?? wholeState;
  const hidden = spec.teamView !== undefined || spec.playerView !== undefined;
  const { maxPlayers, chat } = spec;
  return {
    name: spec.name,
    version: spec.version ?? 1,
    migrate: spec.migrate ?? (() => null),
    joinable: spec.joinable ?? (() => true),
    onAbandon: spec.onAbandon ?? (() => null),
    settings: { ...spec.settings },
    playerIds: spec.playerIds ?? "user",
    spectators: spec.spectators ?? true,
    chat: (config) => ({ ...defaultChat, ...(typeof chat === "function" ? chat(config) : chat) }),
    teams: [...spec.teams],
    maxPlayers: typeof maxPlayers === "number" ? () => maxPlayers : maxPlayers,
    minPlayers: spec.minPlayers ?? 1,
    presets: { ...spec.presets },
    tickHz: spec.tickHz ?? 0,
    realtime: spec.tick !== undefined,
    hasPlayerView: spec.playerView !== undefined,
    lagCompensation: spec.lagCompensation ?? null,
    predict: spec.predict ?? null,
    setup: spec.setup,
    assignTeam: spec.assignTeam ?? fewestPlayers(spec.teams),
    join: spec.join ?? noop,
    leave: spec.leave ?? noop,
    actions: { ...(spec.actions as Record<string, ActionDefinition<State, Config, ActionSchema>>) },
    tick: spec.tick ?? noop,
    teamView,
    playerView: spec.playerView ?? ((state, player, config) => teamView(state, player.team, config)),
    spectatorView: spec.spectatorView ?? (hidden ? () => null : wholeState),
    endIf: spec.endIf ?? (() => undefined),
    deadline: spec.deadline ?? (() => null),
    onDeadline: spec.onDeadline ?? noop,
  };
}
