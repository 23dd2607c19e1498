// The room's side of the dev inspector: inspector sockets, their requests, the report, and the alarm timing it shows.
import type { Game } from "../../engine/define-game.ts";
import { audienceFrameText, type AlarmTiming, type InspectHello, type InspectorRequest, type InspectReport, type MirrorKind } from "../../protocol/inspection.ts";
import type { MatchRecord } from "../../engine/match.ts";
import { utf8Bytes } from "../../engine/inbound.ts";
import { audiencesOf, viewFor, type AudienceKey } from "../../engine/updates/views.ts";
import type { Fanout, FanoutObserver } from "./outbound/fanout.ts";
import { randomId } from "../http.ts";
import type { RoomSockets } from "./sockets/sockets.ts";
import type { RoomInfo } from "../../protocol/api.ts";

/** Alarms remembered for the timing panel; a few seconds of a 20 Hz loop. */
const ALARMS_KEPT = 64;

/** What the room hands over when an inspector needs it. */
export interface Inspected {
  readonly info: RoomInfo;
  readonly game: Game;
  readonly record: MatchRecord;
  readonly alarmAt: number | null;
}

/** The inspectors watch the fanout: every audience's messages are mirrored to them, unmetered and uncounted (dev tools). */
export class Inspectors implements FanoutObserver {
  #sockets: RoomSockets;
  /** The inspectors found by the last `watching()`, which the fanout asks once per broadcast before `observe`. */
  #watchers: WebSocket[] = [];
  /** In memory: after a wake the panel starts from the next alarm, which is all a live view needs. */
  #alarms: { at: number; late: number | null; ran: number }[] = [];

  constructor(sockets: RoomSockets) {
    this.#sockets = sockets;
  }

  watching(): boolean {
    this.#watchers = this.#sockets.inspectors();
    return this.#watchers.length > 0;
  }

  observe(audience: AudienceKey, kind: MirrorKind, text: string): void {
    this.#mirror(this.#watchers, audience, kind, text);
  }

  /**
   * Accept an inspector socket: tagged so `broadcast` mirrors every audience's messages to it, and never
   * counted as a player or spectator. Its first messages: who the room is, what each audience holds, the report.
   */
  accept(out: Fanout, room: Inspected, now: number): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    this.#sockets.acceptInspector(server, randomId(10), now);
    const { info, game } = room;
    const hello: InspectHello = { type: "inspecting", roomId: info.roomId, game: game.name, preset: info.preset, tickHz: game.tickHz };
    this.#sockets.send(server, JSON.stringify(hello));
    for (const audience of audiencesOf(game, room.record)) this.#mirror([server], audience, "held", out.heldText(game, room.record, audience));
    this.#sockets.send(server, JSON.stringify(this.report(out, room)));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** An inspector's request; anything else is ignored (inspectors are dev tools, not players). */
  receive(ws: WebSocket, frame: string | ArrayBuffer, out: Fanout, room: Inspected): void {
    if (typeof frame !== "string" || frame.length > 256) return;
    let request: InspectorRequest;
    try {
      request = JSON.parse(frame) as InspectorRequest;
    } catch {
      return;
    }
    if (request.type === "report") this.#sockets.send(ws, JSON.stringify(this.report(out, room)));
    else if (request.type === "resync" && audiencesOf(room.game, room.record).includes(request.audience)) {
      this.#mirror([ws], request.audience, "held", out.heldText(room.game, room.record, request.audience));
    }
  }

  /** Called by every alarm with the time it was set for (when known) and the ticks it ran. */
  alarmRan(now: number, setFor: number | null | undefined, ran: number): void {
    this.#alarms.push({ at: now, late: typeof setFor === "number" ? now - setFor : null, ran });
    if (this.#alarms.length > ALARMS_KEPT) this.#alarms.shift();
  }

  report(out: Fanout, room: Inspected): InspectReport {
    const { info, game, record } = room;
    const audiences = audiencesOf(game, record);
    const views: Partial<Record<AudienceKey, unknown>> = {};
    const sent: Partial<Record<AudienceKey, number>> = {};
    const sockets: Partial<Record<AudienceKey, number>> = {};
    for (const audience of audiences) {
      views[audience] = viewFor(game, record, audience);
      const version = out.sentVersion(audience);
      if (version !== undefined) sent[audience] = version;
      sockets[audience] = this.#sockets.tagged(audience).length;
    }
    const timing: AlarmTiming = {
      at: this.#alarms.map((a) => a.at),
      late: this.#alarms.map((a) => a.late),
      ran: this.#alarms.map((a) => a.ran),
      next: room.alarmAt,
    };
    return {
      type: "report",
      roomId: info.roomId,
      game: game.name,
      preset: info.preset,
      phase: info.phase,
      listed: info.listed,
      seated: info.seated,
      capacity: info.capacity,
      tickHz: game.tickHz,
      record,
      views,
      sent,
      sockets,
      inspectors: this.#sockets.inspectors().length,
      stats: info.stats,
      timing,
    };
  }

  #mirror(inspectors: readonly WebSocket[], audience: AudienceKey, kind: MirrorKind, text: string): void {
    if (inspectors.length === 0) return;
    const frame = audienceFrameText(audience, kind, utf8Bytes(text), text);
    for (const ws of inspectors) this.#sockets.send(ws, frame);
  }
}
