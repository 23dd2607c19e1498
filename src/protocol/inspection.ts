// The dev inspector's wire format: what a room sends an inspector socket, and the report it answers with.
// The report carries the room's own record: a dev tool shows the engine's state as it is (type only).
import type { RoomInfo, RoomPhase } from "./api.ts";
import type { MatchRecord } from "../engine/match.ts";
import type { AudienceKey } from "./messages.ts";

/** Socket tag every inspector carries; `broadcast` asks for it once to know whether anyone inspects. */
export const INSPECTOR = "inspector";

/** How a copy of an audience's message reached the inspector. */
export type MirrorKind =
  /** Exactly what the audience's sockets were sent (or would have been, with none open). */
  | "update"
  /** A snapshot of what the audience holds, sent on connect or when the inspector asked for one. */
  | "held";

/** The first message on an inspector socket. */
export interface InspectHello {
  readonly type: "inspecting";
  readonly roomId: string;
  readonly game: string;
  readonly preset: string;
  readonly tickHz: number;
}

/** One audience's message, wrapped; `message` is the audience's own wire message, `bytes` its UTF-8 size. */
export interface AudienceFrame {
  readonly type: "audience";
  readonly audience: AudienceKey;
  readonly kind: MirrorKind;
  readonly bytes: number;
  readonly message: unknown;
}

/** The room's own timing: its recent alarms, on the room's clock. */
export interface AlarmTiming {
  /** When each recent alarm ran, oldest first. */
  readonly at: readonly number[];
  /** How late each ran against the time it was set for (ms); null when the room did not know (after a wake). */
  readonly late: readonly (number | null)[];
  /** Ticks each one ran. */
  readonly ran: readonly number[];
  /** When the next alarm is set for; null with none set. */
  readonly next: number | null;
}

/** The authoritative side of a room, for comparing with what each audience holds. */
export interface InspectReport {
  readonly type: "report";
  readonly roomId: string;
  readonly game: string;
  readonly preset: string;
  readonly phase: RoomPhase;
  readonly listed: boolean;
  readonly seated: number;
  readonly capacity: number;
  readonly tickHz: number;
  readonly record: MatchRecord;
  /** Every audience's view of `record`, as the room would send it now. */
  readonly views: Readonly<Partial<Record<AudienceKey, unknown>>>;
  /** The version the room believes each audience holds (what it was last sent). */
  readonly sent: Readonly<Partial<Record<AudienceKey, number>>>;
  /** Sockets per audience, inspectors not counted. */
  readonly sockets: Readonly<Partial<Record<AudienceKey, number>>>;
  readonly inspectors: number;
  /** Counters since the room's object was last loaded. */
  readonly stats: RoomInfo["stats"];
  readonly timing: AlarmTiming;
}

export type InspectorMessage = InspectHello | AudienceFrame | InspectReport | { readonly type: "result"; readonly result: unknown };

/** What an inspector may ask: the report, or a fresh snapshot of one audience (after a gap). */
export type InspectorRequest = { readonly type: "report" } | { readonly type: "resync"; readonly audience: AudienceKey };

/** The rooms the matchmakers know, per registered game, as `GET /api/inspect/rooms` lists them. */
export interface InspectedRoom {
  readonly roomId: string;
  readonly preset: string;
  readonly phase: RoomPhase;
  readonly seated: number;
  readonly capacity: number;
}

export interface InspectedRooms {
  readonly games: readonly { readonly game: string; readonly rooms: readonly InspectedRoom[] }[];
}

/**
 * Wrap an already serialized audience message without parsing it again: the room pays for this only
 * while an inspector is connected.
 */
export const audienceFrameText = (audience: AudienceKey, kind: MirrorKind, bytes: number, text: string): string =>
  `{"type":"audience","audience":${JSON.stringify(audience)},"kind":"${kind}","bytes":${bytes},"message":${text}}`;
