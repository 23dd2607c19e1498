// The room's side of the dev inspector: inspector sockets, their requests, the report, and the alarm timing it shows.
import type { Game } from "../../engine/define-game.ts";
import { INSPECTOR, type AlarmTiming, type InspectHello, type InspectorRequest, type InspectReport } from "../../protocol/inspection.ts";
import type { MatchRecord } from "../../engine/match.ts";
import { audiencesOf, viewFor, type AudienceKey } from "../../engine/views.ts";
import { closeQuietly, type Fanout } from "./fanout.ts";
import { randomId } from "../http.ts";
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

/** An inspector's attachment. Hibernation drops in-memory fields, so the role lives here, like a player's identity. */
interface InspectorAttachment {
  readonly role: "inspector";
  readonly id: string;
}

export const isInspector = (attachment: unknown): boolean =>
  typeof attachment === "object" && attachment !== null && (attachment as { role?: unknown }).role === INSPECTOR;

export class Inspectors {
  #ctx: DurableObjectState;
  /** In memory: after a wake the panel starts from the next alarm, which is all a live view needs. */
  #alarms: { at: number; late: number | null; ran: number }[] = [];

  constructor(ctx: DurableObjectState) {
    this.#ctx = ctx;
  }

  /**
   * Accept an inspector socket: tagged so `broadcast` mirrors every audience's messages to it, and never
   * counted as a player or spectator. Its first messages: who the room is, what each audience holds, the report.
   */
  accept(out: Fanout, room: Inspected): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    const id = randomId(10);
    // A tag per socket too, so one inspector can be told apart from another in `getWebSockets`.
    this.#ctx.acceptWebSocket(server, [INSPECTOR, `${INSPECTOR}:${id}`]);
    server.serializeAttachment({ role: INSPECTOR, id } satisfies InspectorAttachment);
    const { info, game } = room;
    const hello: InspectHello = { type: "inspecting", roomId: info.roomId, game: game.name, preset: info.preset, tickHz: game.tickHz };
    sendTo(server, JSON.stringify(hello));
    for (const audience of audiencesOf(game, room.record)) out.mirrorHeld(server, game, room.record, audience);
    sendTo(server, JSON.stringify(this.report(out, room)));
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
    if (request.type === "report") sendTo(ws, JSON.stringify(this.report(out, room)));
    else if (request.type === "resync" && audiencesOf(room.game, room.record).includes(request.audience)) {
      out.mirrorHeld(ws, room.game, room.record, request.audience);
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
      sockets[audience] = this.#ctx.getWebSockets(audience).length;
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
      inspectors: this.#ctx.getWebSockets(INSPECTOR).length,
      stats: info.stats,
      timing,
    };
  }
}

function sendTo(ws: WebSocket, text: string): void {
  try {
    ws.send(text);
  } catch {
    closeQuietly(ws, 1011, "send failed");
  }
}
