// GameRoom Durable Object: turns sockets, alarms and RPC into engine steps, storage writes and sends.
import { DurableObject } from "cloudflare:workers";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { advance, createMatch, loggedEntries, type LogEntry, type MatchRecord, type Step } from "../../engine/match.ts";
import { hashOf } from "../../engine/hash.ts";
import { PING, PONG, type ResultMessage } from "../../protocol/messages.ts";
import { playerTag, seatedAudiences, SPECTATORS } from "../../engine/views.ts";
import { gameNamed } from "../../games/index.ts";
import { admitReconnect, admitTicket, RECONNECT_HEADER, SEAT_HEADER, welcomeFor } from "./admission.ts";
import { Fanout } from "./fanout.ts";
import { errorResponse, randomId } from "../http.ts";
import type { RoomInfo, RoomSummary } from "../../protocol/api.ts";
import { reportRoom } from "../matchmaker/matchmaker.ts";
import { Inbox } from "./inbox.ts";
import { Inspectors, type Inspected } from "./inspector.ts";
import { Liveness } from "./liveness.ts";
import type { RateLimits } from "./flood.ts";
import { RoomSockets } from "./sockets.ts";
import { RoomStorage } from "./storage.ts";
import { restore, type LiveRoom } from "./state.ts";
import { describeRoom, Reservations, summarize, type Reservation } from "./seating.ts";
import { settings, timings } from "../settings.ts";
import { dueTicks, nextTickAt, resumeTimeline, startTimeline, type Timeline } from "./tick-loop.ts";
import { dueEntries, earliest, timersOf } from "./timers.ts";
import type { TicketClaims } from "../edge/ticket.ts";

export class GameRoom extends DurableObject<Env> {
  #storage: RoomStorage;
  #room: LiveRoom | undefined;
  #sockets = new RoomSockets(this.ctx);
  #inspectors = new Inspectors(this.#sockets);
  #out = new Fanout(this.#sockets, this.#inspectors);
  #inbox = new Inbox();
  #live = new Liveness(this.ctx, this.#sockets);
  #reserved = new Reservations();
  #timeline: Timeline | undefined;
  /** The alarm as this instance last set it; undefined when unknown (after a wake). */
  #alarmAt: number | null | undefined;
  #stats = { alarms: 0, ticks: 0, messagesIn: 0 };
  /**
   * The room's game clock (ticks, held seats, reservations). Tests replace it to drive the loop
   * without sleeping. Ticket expiry is wall-clock time set by the Worker, so it is checked against Date.now().
   */
  now: () => number = () => Date.now();
  /** Flood limits; tests that send far faster than their virtual clock moves raise them. */
  set rateLimits(limits: RateLimits) {
    this.#inbox.limits = limits;
  }

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#storage = new RoomStorage(ctx.storage.sql);
    // Heartbeats are answered by the runtime, so an idle room with open sockets can hibernate.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    ctx.blockConcurrencyWhile(async () => {
      this.#room = restore(this.#storage);
      if (!this.#room) return;
      // After a crash or restart no close event comes for the sockets that died with the old
      // instance; players who are connected in the record but have no socket now are dropped.
      const lost = Object.entries(this.#room.record.players).filter(
        ([id, seat]) => seat.presence === "connected" && this.ctx.getWebSockets(playerTag(id)).length === 0,
      );
      if (lost.length === 0) return;
      const until = this.now() + timings(this.env).reconnectGraceMs;
      this.#commit(lost.map(([p]) => ({ k: "away", p, until })), 0);
      this.#arm();
    });
  }

  create(options: { roomId: string; game: string; preset: string; seed: number; listed: boolean }): { ok: true; existed: boolean } | ErrorBody {
    if (this.#room) return { ok: true, existed: true };
    const game = gameNamed(options.game);
    if (!game) return errorBody("unknown_game");
    if (!Object.hasOwn(game.presets, options.preset)) return errorBody("unknown_preset");
    const record = createMatch(game, { preset: options.preset, seed: options.seed, time: this.now() });
    const meta = { roomId: options.roomId, listed: options.listed };
    this.#storage.create(meta, record);
    this.#room = { meta, game, record };
    return { ok: true, existed: false };
  }

  /** Promise a seat: the room, not the caller, picks the player id and balances the team. */
  reserve(name: string, ttlMs: number, role: "player" | "spectator"): Reservation {
    const room = this.#room;
    if (!room) return errorBody("room_not_found");
    if (room.record.result !== undefined) return errorBody("room_ended");
    if (role === "spectator") return { ok: true, playerId: randomId(10), team: "", name, summary: this.#summary() };
    const seat = this.#reserved.reserve(room.game, room.record, this.now(), ttlMs);
    return "type" in seat ? seat : { ok: true, ...seat, name, summary: this.#summary() };
  }

  info(): RoomInfo | ErrorBody {
    const room = this.#room;
    if (!room) return errorBody("room_not_found");
    const stats = { ...this.#stats, rowsWritten: this.#storage.rowsWritten, messagesOut: this.#out.messagesOut };
    return describeRoom(this.#summary(), room.record, stats);
  }

  /** The authoritative record, for tools and tests that compare it with what clients hold. */
  inspect(): { roomId: string; record: MatchRecord } | ErrorBody {
    return this.#room ? { roomId: this.#room.meta.roomId, record: this.#room.record } : errorBody("room_not_found");
  }

  /** WebSocket upgrade, forwarded by the Worker after it verified the ticket (or with a reconnect token). */
  override async fetch(request: Request): Promise<Response> {
    const room = this.#room;
    if (!room) return errorResponse(errorBody("room_not_found"));
    // Only the Worker's inspector route, which checks the INSPECTOR var, forwards this path.
    if (new URL(request.url).pathname.endsWith("/inspect")) return this.#inspectors.accept(this.#out, this.#inspected(room), this.now());
    const token = request.headers.get(RECONNECT_HEADER);
    const claims = JSON.parse(request.headers.get(SEAT_HEADER) ?? "null") as TicketClaims | null;
    // Seat accounting below is synchronous (no await), so concurrent upgrades can never overfill the room.
    const state = { roomId: room.meta.roomId, game: room.game, record: room.record, storage: this.#storage, spectators: this.ctx.getWebSockets(SPECTATORS).length };
    const admitted = token ? admitReconnect(state, token) : claims ? admitTicket(state, claims) : errorBody("bad_ticket");
    if ("type" in admitted) return errorResponse(admitted);
    const { identity } = admitted;
    if (identity.role === "player") this.#reserved.redeem(identity.playerId);
    this.#commit(admitted.entries, 0);
    const { 0: client, 1: server } = new WebSocketPair();
    // Tags, attachment, and the newer connection replacing an older one of the same player.
    this.#sockets.accept(server, identity, this.now());
    this.#live.accepted(this.now(), timings(this.env).idleTimeoutMs);
    const held = Number(new URL(request.url).searchParams.get("version") ?? Number.NaN);
    const resumeFrom = token && Number.isInteger(held) ? held : undefined;
    this.#out.greet(server, welcomeFor(room.meta.roomId, room.game, room.record, admitted), room.game, room.record, identity.audience, resumeFrom);
    this.#arm();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const room = this.#room;
    if (room && this.#sockets.isInspector(ws)) return this.#inspectors.receive(ws, frame, this.#out, this.#inspected(room));
    const identity = this.#sockets.identity(ws);
    this.#stats.messagesIn += 1;
    if (!room || !identity) return this.#sockets.close(ws, "serverError", "room not loaded");
    this.#live.heard(ws, this.now());
    const receipt = this.#inbox.receive(ws, frame, identity, room.game, room.record, this.now());
    if (receipt.kind === "reply") this.#out.send(ws, receipt.text);
    else if (receipt.kind === "close") this.#sockets.close(ws, receipt.close, receipt.reason);
    else if (receipt.kind === "resync") this.#out.resync(ws, room.game, room.record, identity.audience);
    else if (receipt.kind === "seen") this.#out.seen(ws, receipt.version, room.game, room.record, identity.audience);
    // A turn-based game (or an ended one) applies each action at once; a realtime one on its next tick,
    // since a message from a live socket means its loop is running.
    else if (receipt.kind === "queued" && !(room.game.realtime && room.record.result === undefined)) this.#commit([], 0);
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.#dropped(ws, code);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#dropped(ws);
  }

  override async alarm(): Promise<void> {
    this.#stats.alarms += 1;
    const setFor = this.#alarmAt;
    // A running alarm is no longer scheduled.
    this.#alarmAt = null;
    try {
      const room = this.#room;
      if (!room) return;
      const now = this.now();
      const timers = timersOf(room.game, room.record, timings(this.env).retentionMs);
      if (timers.closeAt !== null && timers.closeAt <= now) return this.#close();
      let run = 0;
      const ticking = this.#ticking();
      if (ticking) {
        const due = dueTicks(this.#timeline ?? resumeTimeline(now, 1000 / room.game.tickHz), now, settings.maxCatchUpTicks);
        this.#timeline = due.next;
        run = due.run;
      }
      this.#inspectors.alarmRan(now, setFor, run);
      const entries = dueEntries(timers, now);
      // Tick alarms sweep at most once a second; any other alarm sweeps, so the next sweep is planned from fresh times.
      const idle = this.#live.sweep(now, timings(this.env).idleTimeoutMs, ticking ? 1000 : 0);
      const labels = [...entries.map((e) => e.k), ...(idle.length > 0 ? ["idle"] : [])].join(", ");
      // Timer alarms are rare and worth a log line; tick alarms (20 a second) are not, unless they closed idle sockets.
      if (run === 0 || idle.length > 0) console.log(`room ${room.meta.roomId}: alarm fired (${labels || (ticking ? "nothing due" : "idle")})`);
      this.#commit([...entries, ...idle.flatMap((ws) => this.#away(ws))], run);
    } catch (error) {
      // Alarms are retried when the handler throws; a failure here must not replay ticks.
      console.error("alarm failed", error);
    } finally {
      this.#arm();
    }
  }

  /** Replay data: the record the match started from and every step it took. */
  replayLog(): { game: string; preset: string; seed: number; initial: MatchRecord; steps: Step[]; hash: string } | ErrorBody {
    const room = this.#room;
    const log = this.#storage.log();
    if (!room || !log) return errorBody("room_not_found");
    return { game: room.game.name, preset: room.record.preset, seed: room.record.seed, ...log, hash: hashOf(room.record) };
  }

  #dropped(ws: WebSocket, code?: number): void {
    this.#sockets.answerClose(ws, code);
    const away = this.#away(ws);
    if (away.length > 0) this.#commit(away, 0);
    // Also when a spectator leaves: the last socket gone takes the idle sweep off the alarm.
    this.#arm();
  }

  /** A player's last socket went away: hold the seat for the grace period, then the alarm lets it go. */
  #away(ws: WebSocket): LogEntry[] {
    const identity = this.#sockets.identity(ws);
    const room = this.#room;
    if (!identity || !room || identity.role !== "player") return [];
    const others = this.ctx.getWebSockets(playerTag(identity.playerId)).filter((s) => s !== ws && s.readyState === WebSocket.OPEN);
    if (others.length > 0 || room.record.players[identity.playerId]?.presence !== "connected") return [];
    return [{ k: "away", p: identity.playerId, until: this.now() + timings(this.env).reconnectGraceMs }];
  }

  /** The retention period after the match ended is over: close every socket and clear the storage. */
  #close(): void {
    this.#sockets.closeAll("roomClosed");
    this.#storage.clear();
    this.#room = undefined;
    this.#timeline = undefined;
  }

  #summary(): RoomSummary {
    const { meta, game, record } = this.#room as LiveRoom;
    return summarize(meta, game, record, this.#reserved.size);
  }

  /** A realtime match with someone connected keeps the tick loop running; an inspector alone does not. */
  #ticking(): boolean {
    const room = this.#room;
    return !!room && room.game.realtime && room.record.result === undefined && this.#sockets.hasClients();
  }

  #inspected(room: LiveRoom): Inspected {
    return { info: this.info() as RoomInfo, game: room.game, record: room.record, alarmAt: this.#alarmAt ?? null };
  }

  /** One alarm serves every timer: the next tick while ticking (else the idle sweep), held seats, the game's deadline, retention. */
  #arm(): void {
    const room = this.#room;
    let next = room ? earliest(timersOf(room.game, room.record, timings(this.env).retentionMs)) : null;
    if (room && this.#ticking()) {
      this.#timeline ??= startTimeline(this.now(), 1000 / room.game.tickHz);
      next = Math.min(next ?? Infinity, nextTickAt(this.#timeline));
    } else {
      this.#timeline = undefined;
      const sweep = room ? this.#live.nextSweep(this.now(), timings(this.env).idleTimeoutMs) : null;
      if (sweep !== null) next = Math.min(next ?? Infinity, sweep);
    }
    // Skip the storage write when the alarm is already where it should be.
    if (next === this.#alarmAt) return;
    this.#alarmAt = next;
    void (next === null ? this.ctx.storage.deleteAlarm() : this.ctx.storage.setAlarm(next));
  }

  /**
   * The one path that changes a room: pending actions plus `entries`, then `ticks` ticks, written in
   * one transaction before anything is sent (output gates hold the sends until the write is durable).
   */
  #commit(entries: LogEntry[], ticks: number): void {
    const room = this.#room;
    if (!room) return;
    const batch = [...this.#inbox.drain(), ...entries];
    if (batch.length === 0 && ticks === 0) return;
    const before = room.record;
    const step = { at: before.tick, time: this.now(), entries: batch, ticks };
    const { record, outcomes, tickError } = advance(room.game, before, step);
    if (tickError) console.error("tick threw; skipped", tickError);
    const ran = record.tick - before.tick;
    if (batch.length === 0 && ran === 0) return;
    try {
      // Every step is logged, idle ticks included: whatever a client was sent survives eviction and restarts.
      this.ctx.storage.transactionSync(() => this.#storage.append({ ...step, entries: loggedEntries(batch, outcomes), ticks: ran }, record));
    } catch (error) {
      console.error("commit failed; state unchanged", error);
      for (const entry of batch) {
        if (entry.k === "act") this.#out.toPlayer(entry.p, JSON.stringify(errorBody("internal_error", { seq: entry.s })));
      }
      return;
    }
    room.record = record;
    this.#stats.ticks += ran;
    this.#out.broadcast(room.game, before, record, seatedAudiences(room.game, record));
    this.#out.answer(outcomes);
    if (record.result !== undefined && before.result === undefined) {
      const text = JSON.stringify({ type: "result", result: record.result } satisfies ResultMessage);
      for (const ws of this.ctx.getWebSockets()) this.#out.send(ws, text);
    }
    if (room.meta.listed && (record.players !== before.players || record.result !== before.result)) reportRoom(this.env, this.#summary());
    this.#arm();
  }
}
