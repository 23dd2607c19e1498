// The wire protocol: zod schemas and inferred types of every WebSocket message, both directions.
import { z } from "zod";
import type { Operation } from "fast-json-patch";
import type { ErrorBody } from "./errors.ts";

export const PROTOCOL_VERSION = 1 as const;

/** Sent verbatim by clients as a heartbeat; answered by the runtime without waking the room. */
export const PING = '{"type":"ping"}';
export const PONG = '{"type":"pong"}';

/** One RFC 6902 operation, as patches carry them. */
export type PatchOperation = Operation;

/** Keys that would reach an object's prototype when a client applies a patch: the server never sends them, the SDK refuses them. */
export const UNSAFE_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** Socket tag of an audience: a team, a player (games with a player view), or the spectators. */
export type AudienceKey = `team:${string}` | `player:${string}` | "spectator";

export type Presence = "connected" | "away";

/** A seated player as every audience sees it in the roster. A player who leaves is removed from it. */
export interface Seat {
  readonly name: string;
  readonly team: string;
  readonly presence: Presence;
  /** While away: when the held seat is given up (ms since the epoch). */
  readonly awayUntil?: number;
}

/** What an audience is sent: the roster everyone sees, and the game's view for that audience. */
export interface RoomView<GameView = unknown> {
  readonly roster: Readonly<Record<string, Seat>>;
  readonly game: GameView | null;
}

export const actionMessage = z.strictObject({
  type: z.literal("action"),
  /** Per-player sequence number, counting from 1; makes delivery exactly-once. */
  seq: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  action: z.string().min(1).max(64),
  /** Validated against the named action's schema by the room. */
  payload: z.record(z.string(), z.unknown()),
});

export const resyncMessage = z.strictObject({ type: z.literal("resync") });

/**
 * A read receipt: the client has read every message up to the update that brought it to `version`
 * (a snapshot's `version` or a patch's `to`), whether or not it could apply it. The room stops sending
 * updates to a client that reported once and then fell too far behind (Cloudflare exposes no bufferedAmount).
 */
export const seenMessage = z.strictObject({
  type: z.literal("seen"),
  version: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/** The player leaves the room for good: the seat is freed at once (a dropped connection keeps it for the grace period). */
export const leaveMessage = z.strictObject({ type: z.literal("leave") });

export const clientMessage = z.discriminatedUnion("type", [actionMessage, resyncMessage, seenMessage, leaveMessage]);

export type ActionMessage = z.infer<typeof actionMessage>;
export type SeenMessage = z.infer<typeof seenMessage>;
export type ClientMessage = z.infer<typeof clientMessage>;

export interface WelcomeMessage {
  readonly type: "welcome";
  readonly protocol: typeof PROTOCOL_VERSION;
  readonly roomId: string;
  readonly game: string;
  readonly role: "player" | "spectator";
  /** The player's id (for a spectator, an id of its own). */
  readonly playerId: string;
  /** The player's team; empty for a spectator. */
  readonly team: string;
  /** Ticks per second, 0 for a turn-based game. */
  readonly tickHz: number;
  /** The highest action seq the room has processed for this player: resume sending above it. */
  readonly lastSeq: number;
  /**
   * Players only: reconnect with `?reconnect=<token>` within the grace period to get this seat back.
   * Every use returns a new token; the old one stops working.
   */
  readonly reconnectToken?: string;
}

/** Realtime games (tickHz > 0) only, on a player's socket: how far this player's actions have come. */
export interface UpdateAck {
  /** The highest action seq of this player that is applied and durable. It stands in for an `ack` message per action. */
  readonly ack?: number;
  /**
   * The highest action seq of this player that the view behind this update reflects (always >= `ack`), sent only
   * when it differs from `ack`: a room that stores steps in batches applies an action before its write is durable.
   */
  readonly applied?: number;
}

/** The audience's whole view at `version`: replaces whatever the client held. */
export interface SnapshotMessage<View = unknown> extends UpdateAck {
  readonly type: "snapshot";
  readonly version: number;
  readonly view: View;
}

/** Applies to the view at `from` and yields the view at `to`; any other `from` means a gap. */
export interface PatchMessage extends UpdateAck {
  readonly type: "patch";
  readonly from: number;
  readonly to: number;
  readonly ops: readonly PatchOperation[];
}

/**
 * The action with this seq was applied (or was a duplicate of one applied) and is durable. Turn-based games
 * send one per action; realtime games only for a duplicate (an applied action is acknowledged by the update's `ack`).
 */
export interface AckMessage {
  readonly type: "ack";
  readonly seq: number;
}

/**
 * The match has ended. Sent once, to every socket, and again on join. `reason` says why: `finished` (then
 * `result` is what the game's `endIf` returned), `abandoned` (nobody was connected; `result` is the game's
 * `onAbandon` or null), `incompatible` (the game's code changed and it could not migrate the saved match) or
 * `limit` (the match record reached its size budget).
 */
export interface ResultMessage<Result = unknown> {
  readonly type: "result";
  readonly reason: "finished" | "abandoned" | "incompatible" | "limit";
  readonly result: Result | null;
}

export interface PongMessage {
  readonly type: "pong";
}

export type ServerMessage<View = unknown, Result = unknown> =
  | WelcomeMessage
  | SnapshotMessage<View>
  | PatchMessage
  | AckMessage
  | ResultMessage<Result>
  | ErrorBody
  | PongMessage;
