// GameRoom Durable Object: turns sockets, alarms and RPC into engine steps, storage writes and sends.
import { DurableObject } from "cloudflare:workers";
import type { Game, PlayerId } from "../engine/define-game.ts";
import { errorBody, type ErrorBody } from "../engine/errors.ts";
import { parseInbound } from "../engine/inbound.ts";
import { advance, configOf, createMatch, playerInfo, replay, teamCounts, type LogEntry, type MatchRecord } from "../engine/match.ts";
import { PING, PONG, PROTOCOL_VERSION, type AckMessage, type WelcomeMessage } from "../engine/protocol.ts";
import { audienceOf, playerTag, teamTag, type AudienceKey } from "../engine/views.ts";
import { gameNamed } from "../games/index.ts";
import { errorResponse, randomId } from "./http.ts";
import { closeQuietly, Fanout } from "./fanout.ts";
import { RoomStorage } from "./room-storage.ts";
import { settings } from "./settings.ts";
import { dueTicks, nextTickAt, resumeTimeline, startTimeline, type Timeline } from "./tick-loop.ts";
import type { TicketClaims } from "./ticket.ts";

/** Identity of a socket. Hibernation drops in-memory fields, so it lives in the socket attachment. */
export interface SocketIdentity {
  readonly playerId: PlayerId;
  readonly team: string;
  readonly audience: AudienceKey;
}

export interface RoomInfo {
  readonly roomId: string;
  readonly game: string;
  readonly preset: string;
  readonly phase: "waiting" | "playing" | "ended";
  readonly tick: number;
  readonly version: number;
  readonly players: { id: string; name: string; team: string; connected: boolean }[];
  readonly maxPlayers: number;
  /** Counters since this instance was loaded; they reset on eviction. */
  readonly stats: RoomStats;
}

export interface RoomStats {
  alarms: number;
  ticks: number;
  rowsWritten: number;
  messagesIn: number;
  messagesOut: number;
}

interface Loaded {
  readonly roomId: string;
  readonly game: Game;
  record: MatchRecord;
}

export type Reservation = { ok: true; playerId: string; team: string; name: string } | ErrorBody;

/** The header through which the Worker hands the room a verified ticket's claims. */
export const SEAT_HEADER = "x-verified-seat";

export class GameRoom extends DurableObject<Env> {
  #storage: RoomStorage;
  #room: Loaded | undefined;
  #out: Fanout;
  /** Accepted actions waiting for the next tick (realtime games only). */
  #pending: LogEntry[] = [];
  #pendingSeq = new Map<PlayerId, number>();
  /** Seats promised by tickets not yet used, so concurrent joins see each other. */
  #reserved = new Map<PlayerId, { team: string; name: string; expires: number }>();
  #timeline: Timeline | undefined;
  #stats = { alarms: 0, ticks: 0, messagesIn: 0 };
  /** The room's only clock. Tests replace it to drive the tick loop without sleeping. */
  now: () => number = () => Date.now();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#storage = new RoomStorage(ctx.storage.sql);
    this.#out = new Fanout(ctx);
    // Heartbeats are answered by the runtime, so an idle room with open sockets can hibernate.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    ctx.blockConcurrencyWhile(async () => {
      const loaded = this.#storage.load();
      if (!loaded) return;
      const game = gameNamed(loaded.checkpoint.game);
      if (!game) throw new Error(`room ${loaded.roomId} holds unknown game ${loaded.checkpoint.game}`);
      this.#room = { roomId: loaded.roomId, game, record: replay(game, loaded.checkpoint, loaded.steps) };
    });
  }

  create(options: { roomId: string; game: string; preset: string; seed: number }): { ok: true } | ErrorBody {
    if (this.#room) return { ok: true };
    const game = gameNamed(options.game);
    if (!game) return errorBody("unknown_game");
    if (!Object.hasOwn(game.presets, options.preset)) return errorBody("unknown_preset");
    const record = createMatch(game, { preset: options.preset, seed: options.seed });
    this.#storage.create(options.roomId, record);
    this.#room = { roomId: options.roomId, game, record };
    return { ok: true };
  }

  /** Promise a seat: the room, not the caller, picks the player id and balances the team. */
  reserve(name: string, ttlMs: number): Reservation {
    const room = this.#room;
    if (!room) return errorBody("room_not_found");
    const now = this.now();
    for (const [id, r] of this.#reserved) if (r.expires <= now) this.#reserved.delete(id);
    const reservedTeams = [...this.#reserved.values()].map((r) => r.team);
    if (Object.keys(room.record.players).length + reservedTeams.length >= room.game.maxPlayers) return errorBody("room_full");
    const counts = teamCounts(room.game, room.record, reservedTeams);
    const team = room.game.assignTeam(counts, configOf(room.game, room.record));
    const playerId = randomId(10);
    this.#reserved.set(playerId, { team, name, expires: now + ttlMs });
    return { ok: true, playerId, team, name };
  }

  info(): RoomInfo | ErrorBody {
    const room = this.#room;
    if (!room) return errorBody("room_not_found");
    const { record, game } = room;
    const connected = (id: string) => this.ctx.getWebSockets(playerTag(id)).length > 0;
    return {
      roomId: room.roomId,
      game: record.game,
      preset: record.preset,
      phase: record.result !== undefined ? "ended" : Object.keys(record.players).length > 0 ? "playing" : "waiting",
      tick: record.tick,
      version: record.version,
      players: Object.entries(record.players).map(([id, s]) => ({ id, name: s.name, team: s.team, connected: connected(id) })),
      maxPlayers: game.maxPlayers,
      stats: { ...this.#stats, rowsWritten: this.#storage.rowsWritten, messagesOut: this.#out.messagesOut },
    };
  }

  /** The authoritative record, for tools and tests that compare it with what clients hold. */
  inspect(): { roomId: string; record: MatchRecord } | ErrorBody {
    return this.#room ? { roomId: this.#room.roomId, record: this.#room.record } : errorBody("room_not_found");
  }

  /** WebSocket upgrade, forwarded by the Worker after it verified the ticket. */
  override async fetch(request: Request): Promise<Response> {
    const room = this.#room;
    if (!room) return errorResponse(errorBody("room_not_found"));
    const seat = JSON.parse(request.headers.get(SEAT_HEADER) ?? "null") as TicketClaims | null;
    if (!seat || seat.room !== room.roomId) return errorResponse(errorBody("bad_ticket"));
    const { game } = room;
    this.#reserved.delete(seat.pid);
    const seated = room.record.players[seat.pid];
    if (!seated) {
      if (Object.keys(room.record.players).length >= game.maxPlayers) return errorResponse(errorBody("room_full"));
      this.#commit([{ k: "join", p: seat.pid, name: seat.name, team: seat.team }], 0);
    } else {
      // One socket per player: a newer connection replaces the older one.
      for (const old of this.ctx.getWebSockets(playerTag(seat.pid))) closeQuietly(old, 4001, "replaced by a newer connection");
    }
    const player = playerInfo(room.record, seat.pid);
    if (!player) return errorResponse(errorBody("internal_error"));
    const identity: SocketIdentity = { playerId: player.id, team: player.team, audience: audienceOf(game, player) };
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [...new Set([playerTag(player.id), teamTag(player.team), identity.audience])]);
    server.serializeAttachment(identity);
    this.#out.send(server, JSON.stringify({
      type: "welcome",
      protocol: PROTOCOL_VERSION,
      roomId: room.roomId,
      game: game.name,
      playerId: player.id,
      team: player.team,
      tickHz: game.tickHz,
      lastSeq: room.record.players[player.id]?.lastSeq ?? 0,
    } satisfies WelcomeMessage));
    this.#out.send(server, this.#out.snapshot(room.game, room.record, identity.audience));
    this.#startLoop();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    this.#stats.messagesIn += 1;
    const room = this.#room;
    const identity = ws.deserializeAttachment() as SocketIdentity | null;
    if (!room || !identity) return closeQuietly(ws, 1011, "room not loaded");
    const inbound = parseInbound(room.game, frame, settings.maxMessageBytes);
    if (!inbound.ok) return this.#out.send(ws, JSON.stringify(inbound.error));
    const message = inbound.message;
    if (message.type === "resync") return this.#out.send(ws, this.#out.snapshot(room.game, room.record, identity.audience));
    const seat = room.record.players[identity.playerId];
    if (!seat) return this.#out.send(ws, JSON.stringify(errorBody("not_a_player", { seq: message.seq })));
    const queued = Math.max(seat.lastSeq, this.#pendingSeq.get(identity.playerId) ?? 0);
    if (message.seq <= seat.lastSeq) return this.#out.send(ws, JSON.stringify({ type: "ack", seq: message.seq } satisfies AckMessage));
    if (message.seq <= queued) return; // already queued: acknowledged when it is applied
    if (message.seq > queued + settings.seqWindow) {
      return this.#out.send(ws, JSON.stringify(errorBody("seq_out_of_window", { seq: message.seq })));
    }
    this.#pendingSeq.set(identity.playerId, message.seq);
    this.#pending.push({ k: "act", p: identity.playerId, s: message.seq, a: message.action, d: message.payload });
    // A turn-based game applies each action at once; a realtime one on its next tick.
    if (!this.#ticking()) this.#commit([], 0);
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    this.#leave(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#leave(ws);
  }

  override async alarm(): Promise<void> {
    this.#stats.alarms += 1;
    try {
      if (!this.#ticking()) return;
      const room = this.#room;
      if (!room) return;
      const period = 1000 / room.game.tickHz;
      const now = this.now();
      const { run, next } = dueTicks(this.#timeline ?? resumeTimeline(now, period), now, settings.maxCatchUpTicks);
      this.#timeline = next;
      if (run > 0) this.#commit([], run);
    } catch (error) {
      // Alarms are retried when the handler throws; a failure here must not replay ticks.
      console.error("tick failed", error);
    } finally {
      this.#armLoop();
    }
  }

  #leave(ws: WebSocket): void {
    closeQuietly(ws, 1000, "closed");
    const identity = ws.deserializeAttachment() as SocketIdentity | null;
    if (!identity || !this.#room) return;
    const others = this.ctx.getWebSockets(playerTag(identity.playerId)).filter((s) => s !== ws);
    if (others.length > 0 || !this.#room.record.players[identity.playerId]) return;
    this.#commit([{ k: "leave", p: identity.playerId }], 0);
  }

  /** A realtime match with someone connected keeps the alarm loop running. */
  #ticking(): boolean {
    const room = this.#room;
    return !!room && room.game.realtime && room.record.result === undefined && this.ctx.getWebSockets().length > 0;
  }

  #startLoop(): void {
    if (this.#timeline || !this.#ticking() || !this.#room) return;
    this.#timeline = startTimeline(this.now(), 1000 / this.#room.game.tickHz);
    this.#armLoop();
  }

  #armLoop(): void {
    if (this.#ticking() && this.#timeline) {
      void this.ctx.storage.setAlarm(nextTickAt(this.#timeline));
      return;
    }
    // Nobody left to tick for: stop, so the room can hibernate, but keep what was accepted.
    this.#timeline = undefined;
    if (this.#pending.length > 0) this.#commit([], 0);
  }

  /**
   * The one path that changes a room: pending actions plus `entries`, then `ticks` ticks, written in
   * one transaction before anything is sent (output gates hold the sends until the write is durable).
   */
  #commit(entries: LogEntry[], ticks: number): void {
    const room = this.#room;
    if (!room) return;
    const batch = [...this.#pending, ...entries];
    this.#pending = [];
    this.#pendingSeq.clear();
    if (batch.length === 0 && ticks === 0) return;
    const before = room.record;
    const { record, outcomes, tickError } = advance(room.game, before, { at: before.tick, entries: batch, ticks });
    if (tickError) console.error("tick threw; skipped", tickError);
    const ran = record.tick - before.tick;
    if (batch.length === 0 && ran === 0) return;
    try {
      // Every step is logged, idle ticks included: whatever a client was sent survives eviction and restarts.
      this.ctx.storage.transactionSync(() => this.#storage.append(room.roomId, { at: before.tick, entries: batch, ticks: ran }, record));
    } catch (error) {
      console.error("commit failed; state unchanged", error);
      for (const entry of batch) {
        if (entry.k === "act") this.#out.toPlayer(entry.p, JSON.stringify(errorBody("internal_error", { seq: entry.s })));
      }
      return;
    }
    room.record = record;
    this.#stats.ticks += ran;
    this.#out.broadcast(room.game, before, record);
    this.#out.answer(outcomes);
  }
}
