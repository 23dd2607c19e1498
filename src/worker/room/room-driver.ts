// What moves a room: the one path that changes it (commit), the step its alarm and tick timer run (wake), and the plan of its next wake-ups (arm).
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { isEnded, type LogEntry } from "../../engine/match.ts";
import { seatedAudiences } from "../../engine/updates/views.ts";
import type { RoomSummary } from "../../protocol/api.ts";
import { hooks } from "../../hooks.ts";
import { PoolReporter } from "../matchmaker/matchmaker.ts";
import { roomSettings, type RoomSettings } from "../settings.ts";
import { RoomAlarm } from "./wakes/alarm.ts";
import type { Fanout } from "./outbound/fanout.ts";
import type { Inbox } from "./sockets/inbox.ts";
import type { Inspectors } from "./inspector.ts";
import type { Journal } from "./storage/journal.ts";
import { dueEntries, earliest, joinable, matchSummary, resultText, ticks, timersOf, type Timers } from "./lifecycle.ts";
import type { Liveness } from "./sockets/liveness.ts";
import { wholeReplay } from "./storage/replay-export.ts";
import { summarize, type Reservations } from "./seating.ts";
import type { RoomSockets } from "./sockets/sockets.ts";
import type { LiveRoom } from "./state.ts";
import { storeStep, withoutGrowth } from "./step.ts";
import type { RoomStorage } from "./storage/storage.ts";

/** The room's pieces the driver works with; the Durable Object builds them once. */
export interface RoomParts {
  readonly ctx: DurableObjectState;
  readonly env: Env;
  readonly storage: RoomStorage;
  readonly sockets: RoomSockets;
  readonly inspectors: Inspectors;
  readonly out: Fanout;
  readonly inbox: Inbox;
  readonly journal: Journal;
  readonly live: Liveness;
  readonly reserved: Reservations;
  /** The room's game clock (the Durable Object's CLOCK seam). */
  readonly now: () => number;
}

export class RoomDriver {
  room: LiveRoom | undefined;
  /** Built once per room from the game and the deployment's vars. */
  settings: RoomSettings;
  /** `alarms` counts alarm invocations (each billed as a request), `timerWakes` the tick timer's, which cost none. */
  readonly stats = { alarms: 0, timerWakes: 0, ticks: 0 };
  readonly alarm: RoomAlarm;
  #p: RoomParts;
  #pool: PoolReporter;

  constructor(parts: RoomParts) {
    this.#p = parts;
    this.#pool = new PoolReporter(parts.env);
    this.settings = roomSettings(parts.env);
    this.alarm = new RoomAlarm(parts.ctx.storage, (aimedAt) => {
      this.stats.timerWakes += 1;
      this.wake(aimedAt, true);
    });
  }

  alarmFired(): void {
    this.stats.alarms += 1;
    this.wake(this.alarm.fired());
  }

  /**
   * What an alarm or the tick timer runs (`setFor`: when it was due, if known), in one step: the ticks the timeline
   * says are due (none when the other already ran them) and the idle sweep. Lifecycle timers and reservations are
   * the alarm's alone (it is set for the earliest of them and the watchdog), so each is handled once, on time, by
   * the same path whether or not the room ticks.
   */
  wake(setFor: number | null | undefined, byTimer = false): void {
    const p = this.#p;
    try {
      const room = this.room;
      if (!room) return;
      const now = p.now();
      const timers = byTimer ? null : this.#timers(room);
      if (timers && timers.disposeAt !== null && timers.disposeAt <= now) return this.#dispose(room);
      let run = 0;
      const ticking = ticks(room.game, room.record);
      if (ticking) run = this.alarm.ticksDue(now, 1000 / room.game.tickHz);
      p.inspectors.alarmRan(now, setFor, run);
      const entries = timers ? dueEntries(timers, now) : [];
      const lapsed = !byTimer && p.reserved.expire(now);
      // Ticks sweep at most once a second; any other wake sweeps, so the next sweep is planned from fresh times.
      const idle = p.live.sweep(now, this.settings.idleTimeoutMs, ticking ? 1000 : 0);
      // Timer alarms are rare and worth a log line; ticks (20 a second) are not, unless they closed idle sockets.
      const eventful = entries.length > 0 || idle.length > 0 || lapsed;
      if (eventful || (run === 0 && !byTimer)) {
        const labels = [...entries.map((e) => e.kind), ...(idle.length > 0 ? ["idle"] : []), ...(lapsed ? ["reservation lapsed"] : [])].join(", ");
        console.log(`room ${room.meta.roomId}: ${byTimer ? "tick timer" : "alarm"} fired (${labels || (ticking ? "nothing due" : "idle")})`);
      }
      this.commit(eventful ? [...entries, ...idle.flatMap((ws) => this.away(ws))] : entries, run);
      // The matchmaker counted the promise when it was made: tell it the seat is free again. Promises live in
      // memory, so a woken instance (its alarm time unknown) cannot tell whether one lapsed: it reports anyway.
      if (lapsed || setFor === undefined) this.report(true);
    } catch (error) {
      // Alarms are retried when the handler throws; a failure here must not replay ticks.
      console.error("room step failed", error);
    } finally {
      this.arm();
    }
  }

  /** A player's last socket went away: hold the seat for the grace period, then the alarm lets it go. */
  away(ws: WebSocket): LogEntry[] {
    const identity = this.#p.sockets.identity(ws);
    const room = this.room;
    if (!identity || !room || identity.role !== "player") return [];
    const others = this.#p.sockets.ofPlayer(identity.playerId).filter((s) => s !== ws && s.readyState === WebSocket.OPEN);
    if (others.length > 0 || room.record.players[identity.playerId]?.presence !== "connected") return [];
    return [{ kind: "away", player: identity.playerId, until: this.#p.now() + this.settings.reconnectGraceMs }];
  }

  summary(): RoomSummary {
    const { meta, game, record } = this.room as LiveRoom;
    return summarize(meta, game, record, this.#p.reserved.size);
  }

  /** Tell the matchmaker when a listed room's seats, phase or joinability changed (or always, when `force`d). */
  report(force = false): void {
    if (this.room) this.#pool.report(this.summary(), force);
  }

  /**
   * One alarm serves every timer: while ticking the watchdog (the tick timer drives the ticks) or, with the timer
   * off, the next tick; else the idle sweep; then the lifecycle's timers. Each entry point plans once, at its end.
   */
  arm(): void {
    const room = this.room;
    if (!room) return this.alarm.clear();
    const now = this.#p.now();
    const tickPeriod = ticks(room.game, room.record) ? 1000 / room.game.tickHz : null;
    this.alarm.plan(now, earliest(this.#timers(room)), tickPeriod, () => this.#p.live.nextSweep(now, this.settings.idleTimeoutMs));
  }

  /**
   * The one path that changes a room: pending actions plus `entries`, then `ticks` ticks, stored in one
   * transaction before anything is sent (output gates hold the sends until the write is durable).
   * A step that would take the record past its budget is refused: its actions and joins get
   * `record_too_large` and the rest is stored without them; if ticks alone outgrow it, the match ends (`limit`).
   */
  commit(entries: LogEntry[], ticks: number): true | ErrorBody {
    const queued = this.#p.inbox.drain();
    const batch = entries.length === 0 ? queued : [...queued, ...entries];
    const stored = this.#store(batch, ticks);
    if (stored === true) return true;
    this.#refuseActions(batch, stored.code);
    if (stored.code !== "record_too_large") return stored;
    const kept = withoutGrowth(batch);
    if (this.#store(kept, ticks) !== true) this.#store([...kept, { kind: "end", reason: "limit" }], 0);
    return stored;
  }

  /** The match just ended: every socket hears why, and the deployment's hook runs once. */
  ended(room: LiveRoom): void {
    const { out, sockets, storage, ctx, env } = this.#p;
    const text = resultText(room.record);
    for (const ws of sockets.clients()) out.send(ws, text);
    const match = matchSummary(room.meta, room.game, room.record, () => wholeReplay(storage, room.record));
    ctx.waitUntil(Promise.resolve().then(() => hooks.onMatchEnd(match, env)).catch((error: unknown) => console.error("onMatchEnd failed", error)));
  }

  #store(batch: LogEntry[], ticks: number): true | ErrorBody {
    const room = this.room;
    const { ctx, storage, journal, out } = this.#p;
    if (!room) return errorBody("room_not_found");
    const before = room.record;
    const stored = storeStep(ctx.storage, storage, journal, room, batch, ticks, this.#p.now());
    if (stored === null) return true;
    if ("type" in stored) return stored;
    const { record } = stored;
    room.record = record;
    this.stats.ticks += stored.ran;
    // An ack claims only what storage holds: the seqs of the journal's last stored record (a loaded record is all stored).
    out.broadcast(room.game, before, record, seatedAudiences(room.game, record), journal.stored ?? record.seqs);
    out.answer(room.game, stored.outcomes);
    if (isEnded(record) && !isEnded(before)) this.ended(room);
    if (record.players !== before.players || !joinable(room.game, record)) this.report();
    return true;
  }

  /** Every action of a step that could not be stored is answered with why; nothing of it happened. */
  #refuseActions(batch: readonly LogEntry[], code: ErrorBody["code"]): void {
    for (const entry of batch) if (entry.kind === "act") this.#p.out.toPlayer(entry.player, JSON.stringify(errorBody(code, { seq: entry.seq })));
  }

  /** The end of a room's life: the retention after its match ended is over, or nobody ever joined it. */
  #dispose(room: LiveRoom): void {
    const { sockets, storage, journal } = this.#p;
    sockets.closeAll("roomClosed");
    storage.clear();
    journal.clear();
    this.#pool.report({ ...summarize(room.meta, room.game, room.record, 0), phase: "disposed", joinable: false }, true);
    console.log(`room ${room.meta.roomId}: disposed`);
    this.room = undefined;
    this.alarm.clear();
  }

  #timers(room: LiveRoom): Timers {
    return timersOf(room.game, room.meta, room.record, this.settings, this.#p.reserved);
  }
}
