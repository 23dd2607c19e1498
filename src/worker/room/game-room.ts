// GameRoom Durable Object: turns sockets, alarms and RPC into engine steps, storage writes and sends.
import { DurableObject } from "cloudflare:workers";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { createMatch, isEnded, type LogEntry, type MatchRecord } from "../../engine/match.ts";
import { PING, PONG } from "../../protocol/messages.ts";
import { DEFLATE_FRAMES } from "../../protocol/frames.ts";
import { SPECTATORS } from "../../engine/updates/views.ts";
import { gameNamed } from "../../games/index.ts";
import { admitReconnect, admitTicket, welcomeFor } from "./sockets/admission.ts";
import { readHandoff } from "../edge/handoff.ts";
import { Fanout } from "./outbound/fanout.ts";
import { RoomChat } from "./chat.ts";
import { errorResponse, randomId } from "../http.ts";
import type { RoomInfo } from "../../protocol/api.ts";
import { Inbox } from "./sockets/inbox.ts";
import { Inspectors, type Inspected } from "./inspector.ts";
import { resultText, ticks } from "./lifecycle.ts";
import { Liveness } from "./sockets/liveness.ts";
import { RoomDriver } from "./room-driver.ts";
import { Journal, resumeSkip } from "./storage/journal.ts";
import { CLOCK, FLOOD_LIMITS, TICK_TIMER } from "./seams.ts";
import type { RateLimits } from "./sockets/flood.ts";
import { RoomSockets } from "./sockets/sockets.ts";
import { RoomStorage, type ReplayPage } from "./storage/storage.ts";
import { publicPage } from "./storage/replay-export.ts";
import { restore, type LiveRoom } from "./state.ts";
import { describeRoom, Reservations, type GroupReservation, type Reservation } from "./seating.ts";
import { roomSettings, type RoomSettings } from "../settings.ts";

export class GameRoom extends DurableObject<Env> {
  #storage = new RoomStorage(this.ctx.storage.sql);
  #sockets = new RoomSockets(this.ctx);
  #inspectors = new Inspectors(this.#sockets);
  #out = new Fanout(this.#sockets, this.#inspectors);
  #inbox = new Inbox();
  #chat = new RoomChat(this.ctx.storage.sql, this.#sockets, this.#out);
  #journal = new Journal();
  #live = new Liveness(this.ctx, this.#sockets);
  #reserved = new Reservations();
  /** Sockets that have sent a message since this instance woke (each confirms its reconnect token once). */
  #spoke = new WeakSet<WebSocket>();
  /** Commits, wakes (alarm and tick timer) and the plan of the next ones; it holds the live room and its settings. */
  #driver = new RoomDriver({
    ctx: this.ctx,
    env: this.env,
    storage: this.#storage,
    sockets: this.#sockets,
    inspectors: this.#inspectors,
    out: this.#out,
    inbox: this.#inbox,
    journal: this.#journal,
    live: this.#live,
    reserved: this.#reserved,
    now: () => this[CLOCK](),
  });
  #messagesIn = 0;
  /**
   * The room's game clock (ticks, held seats, reservations, lifecycle timers). Tests replace it to drive the
   * loop without sleeping. Ticket expiry is wall-clock time set by the Worker, so it is checked against Date.now().
   */
  [CLOCK]: () => number = () => Date.now();
  set [FLOOD_LIMITS](limits: RateLimits) {
    this.#inbox.limits = this.#chat.limits = limits;
  }
  set [TICK_TIMER](on: boolean) {
    this.#driver.alarm.timerOn = on;
  }

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Heartbeats are answered by the runtime, so an idle room with open sockets can hibernate.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    ctx.blockConcurrencyWhile(async () => {
      const restored = restore(this.#storage, this[CLOCK]());
      if (!restored) return;
      const room = (this.#driver.room = restored.room);
      this.#journal.stored = room.record.seqs;
      this.#driver.settings = roomSettings(env, room.game);
      if (restored.changed) this.ctx.storage.transactionSync(() => this.#storage.replaceRecord(room.meta, room.record));
      // A match the code change ended took no step, so the end's hook and the pool's report happen here.
      if (restored.ended) {
        this.#driver.ended(room);
        this.#driver.report();
      }
      // After a crash or restart no close event comes for the sockets that died with the old
      // instance; players who are connected in the record but have no socket now are dropped.
      const until = this[CLOCK]() + this.#settings.reconnectGraceMs;
      const lost = Object.entries(room.record.players).filter(([id, seat]) => seat.presence === "connected" && this.#sockets.ofPlayer(id).length === 0);
      // It died while ticking: its versions jump past those of steps it may have sent and not stored.
      const resume: LogEntry[] = restored.resumed ? [{ kind: "resume", skip: resumeSkip() }] : [];
      if (lost.length === 0 && resume.length === 0 && !restored.changed) return;
      this.#driver.commit([...resume, ...lost.map(([player]): LogEntry => ({ kind: "away", player, until }))], 0);
      this.#driver.arm();
    });
  }

  create(options: { roomId: string; game: string; preset: string; seed: number; listed: boolean; shard?: string }): { ok: true; existed: boolean } | ErrorBody {
    if (this.#room) return { ok: true, existed: true };
    const game = gameNamed(options.game);
    if (!game) return errorBody("unknown_game");
    if (!Object.hasOwn(game.presets, options.preset)) return errorBody("unknown_preset");
    const record = createMatch(game, { preset: options.preset, seed: options.seed, time: this[CLOCK]() });
    const meta = { roomId: options.roomId, listed: options.listed, createdAt: this[CLOCK](), ...(options.shard === undefined ? {} : { shard: options.shard }) };
    this.#storage.create(meta, record);
    this.#driver.room = { meta, game, record };
    this.#journal.stored = record.seqs;
    this.#driver.settings = roomSettings(this.env, game);
    // A room nobody joins is disposed of by this alarm.
    this.#driver.arm();
    return { ok: true, existed: false };
  }

  /** Promise a verified user a seat (the one it holds, if any): the room picks the seat id and balances the team. */
  reserve(user: { userId: string; name: string }, ttlMs: number, role: "player" | "spectator"): Reservation {
    const room = this.#room;
    if (!room) return errorBody("room_not_found");
    if (isEnded(room.record)) return errorBody("room_ended");
    const { userId, name } = user;
    if (role === "spectator") return room.game.spectators ? { ok: true, playerId: randomId(10), userId, team: "", name, summary: this.#driver.summary() } : errorBody("spectating_off");
    const seat = this.#reserved.reserve(room.game, room.record, this[CLOCK](), ttlMs, userId);
    if ("type" in seat) return seat;
    this.#driver.arm();
    return { ok: true, ...seat, userId, name, summary: this.#driver.summary() };
  }

  /** Promise seats to a party (or one quick player) together: all in this room, all or none (seating.ts picks the teams). */
  reserveGroup(users: { userId: string; name: string }[], ttlMs: number): GroupReservation {
    const room = this.#room;
    if (!room) return errorBody("room_not_found");
    if (isEnded(room.record)) return errorBody("room_ended");
    const seats = this.#reserved.reserveGroup(room.game, room.record, this[CLOCK](), ttlMs, users.map((user) => user.userId));
    if ("type" in seats) return seats;
    this.#driver.arm();
    return { ok: true, seats: seats.map((seat, i) => ({ ...seat, userId: users[i]?.userId ?? "", name: users[i]?.name ?? "" })), summary: this.#driver.summary() };
  }

  /** `withRecordBytes` is for the inspector and tests: the record's size follows hidden state, so the public route leaves it out. */
  info(withRecordBytes = false): RoomInfo | ErrorBody {
    const room = this.#room;
    if (!room) return errorBody("room_not_found");
    const stored = this.#storage.size();
    const stats = {
      ...this.#driver.stats,
      messagesIn: this.#messagesIn,
      alarmWrites: this.#driver.alarm.writes,
      rowsWritten: this.#storage.rowsWritten + this.#chat.rowsWritten,
      messagesOut: this.#out.messagesOut,
      storedRows: stored.rows,
      storedBytes: stored.bytes,
      ...(withRecordBytes ? { recordBytes: JSON.stringify(room.record).length } : {}),
    };
    return describeRoom(this.#driver.summary(), room.record, this.#sockets.tagged(SPECTATORS).length, stats);
  }

  /** The authoritative record, for tools and tests that compare it with what clients hold. */
  inspect(): { roomId: string; record: MatchRecord } | ErrorBody {
    return this.#room ? { roomId: this.#room.meta.roomId, record: this.#room.record } : errorBody("room_not_found");
  }

  /**
   * One page of an ended match's replay: the record it started from and up to `limit` logged steps from
   * `from`. A live match has no replay: its log would show what the views hide.
   */
  replay(from: number, limit: number): (ReplayPage & { game: string; final: MatchRecord | null }) | ErrorBody {
    const room = this.#room;
    if (!room) return errorBody("room_not_found");
    if (!isEnded(room.record)) return errorBody("match_live");
    const page = this.#storage.endedReplay(room.record, from, limit);
    return "type" in page ? page : { game: room.game.name, ...publicPage(page) };
  }

  /** WebSocket upgrade, forwarded by the Worker after it verified the ticket (or with a reconnect token). */
  override async fetch(request: Request): Promise<Response> {
    const room = this.#room;
    if (!room) return errorResponse(errorBody("room_not_found"));
    // What the Worker verified, from the one header it builds afresh; a malformed one is a typed 400.
    const handoff = readHandoff(request);
    if ("type" in handoff) return errorResponse(handoff);
    // Only the Worker's inspector route, which checks the INSPECTOR var and the caller's credential, hands this over.
    if (handoff.kind === "inspector") return this.#inspectors.accept(this.#out, this.#inspected(room), this[CLOCK]());
    // Seat accounting below is synchronous (no await), so concurrent upgrades can never overfill the room.
    const state = { roomId: room.meta.roomId, game: room.game, record: room.record, storage: this.#storage, spectators: this.#sockets.tagged(SPECTATORS).length };
    const admitted = handoff.kind === "reconnect" ? admitReconnect(state, handoff.token) : admitTicket(state, handoff.claims);
    if ("type" in admitted) return errorResponse(admitted);
    const { identity } = admitted;
    if (identity.role === "player") this.#reserved.redeem(identity.playerId);
    // A join whose step cannot be stored gets no socket.
    const committed = this.#driver.commit(admitted.entries, 0);
    if (committed !== true) {
      // Admission gave the newcomer a reconnect token; with no seat it would stay in storage for good.
      if (identity.role === "player" && !room.record.players[identity.playerId]) this.#storage.dropToken(identity.playerId);
      this.#driver.arm();
      return errorResponse(committed);
    }
    const { 0: client, 1: server } = new WebSocketPair();
    // Tags, attachment, and the newer connection replacing an older one of the same player.
    this.#sockets.accept(server, identity, this[CLOCK](), handoff.frames === DEFLATE_FRAMES);
    this.#live.accepted(this[CLOCK](), this.#settings.idleTimeoutMs);
    const resumeFrom = handoff.kind === "reconnect" ? handoff.resumeFrom : undefined;
    this.#out.greet(server, welcomeFor(room.meta.roomId, room.game, room.record, admitted, this.#journal.stored), room.game, room.record, identity.audience, resumeFrom);
    this.#chat.greet(server, identity, room.game, room.record);
    // A match that ended while this client was away (a code change, say) tells it why.
    if (isEnded(room.record)) this.#out.send(server, resultText(room.record));
    this.#driver.arm();
    return new Response(null, { status: 101, webSocket: client });
  }

  // Not async: it awaits nothing, and a realtime room takes 20 of these a second per player (no promise made each).
  override webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): void {
    const room = this.#room;
    if (room && this.#sockets.isInspector(ws)) return this.#inspectors.receive(ws, frame, this.#out, this.#inspected(room));
    const identity = this.#sockets.identity(ws);
    this.#messagesIn += 1;
    if (!room || !identity) return this.#sockets.close(ws, "serverError", "room not loaded");
    const now = this[CLOCK]();
    this.#live.heard(ws, now);
    // A player's first message on a socket shows it got its welcome: the token it connected with is spent.
    if (identity.role === "player" && !this.#spoke.has(ws)) {
      this.#spoke.add(ws);
      this.#storage.confirmToken(identity.playerId);
    }
    const intake = this.#inbox.receive(ws, frame, identity, room.game, room.record, now);
    if (intake.kind === "reply") this.#out.send(ws, intake.text);
    else if (intake.kind === "close") this.#sockets.close(ws, intake.close, intake.reason);
    else if (intake.kind === "resync") this.#out.resync(ws, room.game, room.record, identity.audience);
    else if (intake.kind === "seen") this.#out.seen(ws, intake.version, room.game, room.record, identity.audience);
    else if (intake.kind === "leave") this.#leave(ws, identity.role === "player" ? identity.playerId : undefined);
    else if (intake.kind === "chat") this.#chat.receive(ws, intake.message, identity, room.game, room.record, now);
    // A turn-based game (or an ended one) applies each action at once; a realtime one on its next tick,
    // since a message from a seated player's socket means its loop is running.
    else if (intake.kind === "queued" && !ticks(room.game, room.record)) {
      this.#driver.commit([], 0);
      this.#driver.arm();
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.#dropped(ws, code);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#dropped(ws);
  }

  override async alarm(): Promise<void> {
    this.#driver.alarmFired();
  }

  #dropped(ws: WebSocket, code?: number): void {
    this.#sockets.answerClose(ws, code);
    const away = this.#driver.away(ws);
    if (away.length > 0) this.#driver.commit(away, 0);
    // Also when a spectator leaves: the last socket gone takes the idle sweep off the alarm.
    this.#driver.arm();
  }

  /** `{"type":"leave"}`: the seat is freed at once, every socket of the player closes, the game's `leave` runs. */
  #leave(ws: WebSocket, playerId: string | undefined): void {
    const seated = playerId !== undefined && this.#room?.record.players[playerId] !== undefined;
    if (seated) {
      const left = this.#driver.commit([{ kind: "leave", player: playerId }], 0);
      this.#driver.arm();
      if (left !== true) return;
    }
    const sockets = playerId === undefined ? [ws] : this.#sockets.ofPlayer(playerId);
    for (const socket of sockets) this.#sockets.close(socket, "left");
  }

  #inspected(room: LiveRoom): Inspected {
    return { info: this.info(true) as RoomInfo, game: room.game, record: room.record, alarmAt: this.#driver.alarm.at };
  }

  get #room(): LiveRoom | undefined {
    return this.#driver.room;
  }

  get #settings(): RoomSettings {
    return this.#driver.settings;
  }
}
