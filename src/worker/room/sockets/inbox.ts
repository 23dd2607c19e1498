// Incoming frames: flood control, validation and exactly-once, into the queue of actions for the next step.
import type { Game, PlayerId } from "../../../engine/define-game.ts";
import type { ServerCloseName } from "../../../protocol/close-codes.ts";
import { errorBody } from "../../../protocol/errors.ts";
import { parseInbound } from "../../../engine/inbound.ts";
import type { LogEntry, MatchRecord } from "../../../engine/match.ts";
import type { AckMessage, ChatSend } from "../../../protocol/messages.ts";
import { judgeSeq } from "../../../engine/sequence.ts";
import type { SocketIdentity } from "./admission.ts";
import { defaultLimits, newBucket, take, type Bucket, type RateLimits } from "./flood.ts";
import { settings } from "../../settings.ts";

/** What the room should do about one frame. */
export type Intake =
  | { readonly kind: "queued" }
  | { readonly kind: "resync" }
  | { readonly kind: "seen"; readonly version: number }
  | { readonly kind: "leave" }
  | { readonly kind: "chat"; readonly message: ChatSend }
  | { readonly kind: "reply"; readonly text: string }
  | { readonly kind: "close"; readonly close: ServerCloseName; readonly reason: string }
  | { readonly kind: "ignored" };

const reply = (body: object): Intake => ({ kind: "reply", text: JSON.stringify(body) });

export class Inbox {
  /** Accepted actions waiting for the next step. */
  #queue: LogEntry[] = [];
  /** Per player: the highest seq queued, and how many actions are queued. */
  #queued = new Map<PlayerId, { seq: number; count: number }>();
  /** Flood control per socket; in memory, so it starts afresh after a wake. */
  #buckets = new WeakMap<WebSocket, Bucket>();
  /** When each socket last had a resync granted; in memory too (a wake forgets it, which costs one snapshot). */
  #resyncedAt = new WeakMap<WebSocket, number>();
  limits: RateLimits = defaultLimits;

  receive(ws: WebSocket, frame: string | ArrayBuffer, identity: SocketIdentity, game: Game, record: MatchRecord, now: number): Intake {
    // Flood control comes first, so a flooding socket costs a counter, not a parse.
    let bucket = this.#buckets.get(ws);
    if (bucket === undefined) {
      bucket = newBucket(now, this.limits);
      this.#buckets.set(ws, bucket);
    }
    const verdict = take(bucket, now, this.limits);
    if (verdict === "close") return { kind: "close", close: "flooding", reason: "rate limit exceeded" };
    if (verdict === "warn") return reply(errorBody("rate_limited"));
    if (verdict === "drop") return { kind: "ignored" };
    const inbound = parseInbound(game, frame, settings.maxMessageBytes);
    if (!inbound.ok) return reply(inbound.error);
    const message = inbound.message;
    if (message.type === "resync") return this.#resync(ws, now);
    if (message.type === "seen") return { kind: "seen", version: message.version };
    if (message.type === "leave") return { kind: "leave" };
    if (message.type === "chat") return { kind: "chat", message };
    const player = identity.playerId;
    if (identity.role !== "player" || !Object.hasOwn(record.players, player)) return reply(errorBody("not_a_player", { seq: message.seq }));
    const queued = this.#queued.get(player);
    const seq = judgeSeq(message.seq, record.seqs[player] ?? 0, queued?.seq ?? 0, settings.seqWindow);
    if (seq === "duplicate") return reply({ type: "ack", seq: message.seq } satisfies AckMessage);
    if (seq === "too_far") return reply(errorBody("seq_out_of_window", { seq: message.seq }));
    if (seq === "queued") return { kind: "ignored" }; // acknowledged when it is applied
    // Realtime games apply actions on the next tick: a bounded number per player keeps the queue bounded.
    if (queued === undefined) this.#queued.set(player, { seq: message.seq, count: 1 });
    else if (queued.count >= settings.maxActionsPerTick) return reply(errorBody("rate_limited", { seq: message.seq }));
    else {
      queued.seq = message.seq;
      queued.count += 1;
    }
    this.#queue.push({ kind: "act", player, seq: message.seq, action: message.action, payload: message.payload });
    return { kind: "queued" };
  }

  /**
   * A resync is a whole snapshot for a 17-byte request: unmetered, an amplifier. One per `resyncIntervalMs`
   * per socket; a sooner one is answered `resync_limited` with the wait in ms as its detail.
   */
  #resync(ws: WebSocket, now: number): Intake {
    const last = this.#resyncedAt.get(ws);
    const wait = last === undefined ? 0 : last + this.limits.resyncIntervalMs - now;
    if (wait > 0) return reply(errorBody("resync_limited", { detail: String(Math.ceil(wait)) }));
    this.#resyncedAt.set(ws, now);
    return { kind: "resync" };
  }

  /** Everything queued, in arrival order; the inbox is empty afterwards. */
  drain(): LogEntry[] {
    const queue = this.#queue;
    this.#queue = [];
    this.#queued.clear();
    return queue;
  }
}
