// Room chat for every game: who may send on which channel, the checks and moderation a line passes, and which sockets get it.
import type { Game } from "../../engine/define-game.ts";
import { configOf, seatedPlayer, type MatchRecord } from "../../engine/match.ts";
import { SPECTATORS, teamTag } from "../../engine/updates/views.ts";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { CHAT_MAX_LENGTH } from "../../protocol/limits.ts";
import type { ChatHistoryMessage, ChatLine, ChatLineMessage, ChatSend, ChatSettings } from "../../protocol/messages.ts";
import { hooks } from "../../hooks.ts";
import { normalizeText, textProblem } from "../edge/names.ts";
import { settings } from "../settings.ts";
import type { SocketIdentity } from "./sockets/admission.ts";
import { ChatStore, type ChatReader, type ChatScope } from "./storage/chat-store.ts";
import type { Fanout } from "./outbound/fanout.ts";
import { newBucket, take, type Bucket, type RateLimits } from "./sockets/flood.ts";
import type { RoomSockets } from "./sockets/sockets.ts";

/** Chat's own meter per socket, on top of the room's flood control: a line every second, five at once. */
export const chatLimits: RateLimits = { messagesPerSecond: settings.chatPerSecond, messageBurst: settings.chatBurst, abusePenalty: Infinity, resyncIntervalMs: 0 };

/** The room's chat: sends go out through the fanout, to sockets found by the same tags the views use. */
export class RoomChat {
  #sockets: RoomSockets;
  #out: Fanout;
  #store: ChatStore;
  /** In memory, like the flood buckets: a wake starts every socket afresh. */
  #buckets = new WeakMap<WebSocket, Bucket>();
  #nextId: number | undefined;
  limits: RateLimits = chatLimits;

  constructor(sql: SqlStorage, sockets: RoomSockets, out: Fanout) {
    this.#store = new ChatStore(sql);
    this.#sockets = sockets;
    this.#out = out;
  }

  get rowsWritten(): number {
    return this.#store.rowsWritten;
  }

  /** A new socket's chat: the settings, and the kept lines its audience may read. Sent on every join and resume. */
  greet(ws: WebSocket, identity: SocketIdentity, game: Game, record: MatchRecord): void {
    const chat = game.chat(configOf(game, record));
    const message: ChatHistoryMessage = { type: "chat-history", settings: chat, lines: this.#store.readable(readerOf(identity, chat)) };
    this.#out.send(ws, JSON.stringify(message));
  }

  /** One line from a socket: refused with a typed error (nothing kept, nobody else hears of it), or kept and sent. */
  receive(ws: WebSocket, message: ChatSend, identity: SocketIdentity, game: Game, record: MatchRecord, now: number): void {
    const refused = this.#take(ws, message, identity, game, record, now);
    if (refused) this.#out.send(ws, JSON.stringify(refused));
  }

  #take(ws: WebSocket, message: ChatSend, identity: SocketIdentity, game: Game, record: MatchRecord, now: number): ErrorBody | undefined {
    const chat = game.chat(configOf(game, record));
    const player = identity.role === "player" ? seatedPlayer(record, identity.playerId) : undefined;
    const { channel } = message;
    if (!chat[channel] || (identity.role === "spectator" && (channel !== "all" || chat.spectators !== "write"))) {
      return errorBody("chat_disabled", { detail: channel });
    }
    if (identity.role === "player" && !player) return errorBody("chat_disabled", { detail: "only seated players chat" });
    const to = message.to;
    if (channel === "whisper" ? to === undefined || to === identity.playerId || !seatedPlayer(record, to) : to !== undefined) {
      return errorBody("unknown_recipient", { detail: to === undefined ? "missing" : to });
    }
    // Metered after the cheap checks, so a misconfigured client is told why rather than slowed down.
    const bucket = this.#buckets.get(ws) ?? newBucket(now, this.limits);
    this.#buckets.set(ws, bucket);
    if (take(bucket, now, this.limits) !== "ok") return errorBody("chat_rate_limited", { detail: String(Math.ceil((1 - bucket.tokens) * (1000 / this.limits.messagesPerSecond))) });
    const from = { id: identity.playerId, name: player?.name ?? identity.name ?? "spectator", team: identity.team, role: identity.role };
    let text = normalizeText(message.text);
    const problem = textProblem(text, CHAT_MAX_LENGTH);
    if (problem !== undefined) return errorBody("invalid_chat", { detail: `text ${problem}` });
    const verdict = hooks.moderateChat({ game: game.name, channel, text, from, ...(to === undefined ? {} : { to }) });
    if (verdict.verdict === "reject") return errorBody("chat_refused", { detail: verdict.reason });
    if (verdict.verdict === "rewrite") {
      text = normalizeText(verdict.text);
      const rewritten = textProblem(text, CHAT_MAX_LENGTH);
      if (rewritten !== undefined) return errorBody("chat_refused", { detail: `the rewritten text ${rewritten}` });
    }
    const id = (this.#nextId ??= this.#store.nextId());
    const line: ChatLine = { id, channel, from: from.id, name: from.name, team: from.team, ...(to === undefined ? {} : { to }), text, at: now };
    const where: ChatScope = channel === "all" ? { scope: "all" } : channel === "team" ? { scope: `team:${identity.team}` } : { scope: "whisper", a: from.id, b: to as string };
    // Stored before it is sent: output gates hold the sends until the write is durable.
    this.#store.keep(line, where);
    this.#nextId = id + 1;
    const frame = JSON.stringify({ type: "chat", line } satisfies ChatLineMessage);
    for (const socket of this.#audience(game, chat, where)) this.#out.send(socket, frame);
    return undefined;
  }

  /** The sockets a scope reaches, found by tag: a team's tag is on its players' sockets only, a player's on that player's. */
  #audience(game: Game, chat: ChatSettings, where: ChatScope): WebSocket[] {
    if (where.scope === "whisper") return [...new Set([...this.#sockets.ofPlayer(where.a), ...this.#sockets.ofPlayer(where.b)])];
    if (where.scope !== "all") return this.#sockets.tagged(where.scope); // `team:<team>` is the team's socket tag (views.ts teamTag)
    const players = game.teams.flatMap((team) => this.#sockets.tagged(teamTag(team)));
    return chat.spectators === "none" ? players : [...players, ...this.#sockets.tagged(SPECTATORS)];
  }
}

/** What a socket may read: spectators `all` only (when allowed), players their team's lines and their own whispers too. */
function readerOf(identity: SocketIdentity, chat: ChatSettings): ChatReader {
  if (identity.role === "spectator") return { all: chat.all && chat.spectators !== "none" };
  return { all: chat.all, ...(chat.team ? { team: identity.team } : {}), ...(chat.whisper ? { player: identity.playerId } : {}) };
}
