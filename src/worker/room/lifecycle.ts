// The room's lifecycle, read off its record: the phase, who may still join, and every timer that moves the room on.
//
// created → waiting → playing → ended | abandoned → disposed. The room calls `timersOf` to plan its one alarm and
// `dueAt` when it fires; both come from the record (durable) plus the room's in-memory reservations, so a woken
// room plans exactly what the old instance would have.
import type { Game } from "../../engine/define-game.ts";
import { configOf, isEnded, seatsTaken, userOf, type LogEntry, type MatchRecord } from "../../engine/match.ts";
import type { RoomPhase } from "../../protocol/api.ts";
import type { ResultMessage } from "../../protocol/messages.ts";
import type { MatchSummary } from "../../hooks.ts";
import type { RoomSettings } from "../settings.ts";
import type { RoomMeta } from "./storage/storage.ts";

export function phaseOf(game: Game, record: MatchRecord): Exclude<RoomPhase, "disposed"> {
  if (isEnded(record)) return record.endReason === "abandoned" ? "abandoned" : "ended";
  const seated = seatsTaken(record);
  if (seated === 0 && record.startedAt === undefined && record.vacantSince === undefined) return "created";
  return seated >= game.minPlayers ? "playing" : "waiting";
}

/** Whether a new player may take a seat (capacity aside): never after the end, otherwise when the game says so. */
export const joinable = (game: Game, record: MatchRecord): boolean =>
  !isEnded(record) && game.joinable(record.state, configOf(game, record));

/** A realtime match ticks only while a seated player is connected: spectators and inspectors alone keep nothing running. */
export const ticks = (game: Game, record: MatchRecord): boolean => game.realtime && !isEnded(record) && anyoneConnected(record.players);

/** Whether a seated player is connected, per roster: asked on every message and several times a tick. */
const connectedByRoster = new WeakMap<MatchRecord["players"], boolean>();

function anyoneConnected(players: MatchRecord["players"]): boolean {
  let connected = connectedByRoster.get(players);
  if (connected === undefined) {
    connected = Object.values(players).some((seat) => seat.presence === "connected");
    connectedByRoster.set(players, connected);
  }
  return connected;
}

export interface Timers {
  /** When each away player's held seat is given up. */
  readonly seats: readonly { readonly player: string; readonly at: number }[];
  /** The game's own deadline (a turn timer), while the match runs. */
  readonly deadline: number | null;
  /** When a match nobody is connected to ends as abandoned. */
  readonly abandonAt: number | null;
  /** When the room clears its storage: after the retention once ended, or when nobody ever used a ticket for it. */
  readonly disposeAt: number | null;
  /** When the next promised seat lapses, so the matchmaker hears that it is free again. */
  readonly reservationLapses: number | null;
}

/** The room's promised seats, as far as timers care. */
export interface ReservationTimes {
  readonly nextExpiry: number | null;
  readonly lastExpiry: number | null;
}

/** The away seats' timers per roster: a ticking room plans its alarm every tick, and the roster changes only on seat events. */
const awayByRoster = new WeakMap<MatchRecord["players"], Timers["seats"]>();

function awaySeats(players: MatchRecord["players"]): Timers["seats"] {
  let seats = awayByRoster.get(players);
  if (seats === undefined) {
    seats = Object.entries(players).flatMap(([player, seat]) => (seat.presence === "away" && seat.awayUntil !== undefined ? [{ player, at: seat.awayUntil }] : []));
    awayByRoster.set(players, seats);
  }
  return seats;
}

export function timersOf(game: Game, meta: RoomMeta, record: MatchRecord, settings: RoomSettings, reservations: ReservationTimes): Timers {
  const seats = awaySeats(record.players);
  const ended = isEnded(record);
  const unused = phaseOf(game, record) === "created";
  const margin = settings.unusedRoomMs - settings.ticketTtlMs;
  return {
    seats,
    deadline: ended ? null : game.deadline(record.state),
    abandonAt: !ended && record.vacantSince !== undefined ? record.vacantSince + settings.abandonAfterMs : null,
    disposeAt: ended
      ? (record.endedAt ?? 0) + settings.retentionMs
      : unused
        ? Math.max(meta.createdAt + settings.unusedRoomMs, (reservations.lastExpiry ?? 0) + margin)
        : null,
    reservationLapses: reservations.nextExpiry,
  };
}

/** The log entries for every timer due at `now`. */
export function dueEntries(timers: Timers, now: number): LogEntry[] {
  const entries: LogEntry[] = timers.seats.filter((seat) => seat.at <= now).map((seat) => ({ kind: "leave", player: seat.player }));
  if (timers.deadline !== null && timers.deadline <= now) entries.push({ kind: "deadline" });
  if (timers.abandonAt !== null && timers.abandonAt <= now) entries.push({ kind: "end", reason: "abandoned" });
  return entries;
}

/** The earliest time any timer wants the alarm. */
export const earliest = (timers: Timers): number | null => {
  const times = [...timers.seats.map((seat) => seat.at), timers.deadline, timers.abandonAt, timers.disposeAt, timers.reservationLapses];
  const set = times.filter((t): t is number => t !== null);
  return set.length > 0 ? Math.min(...set) : null;
};

/** The message every socket gets when the match ends, and on every join after. */
export const resultText = (record: MatchRecord): string =>
  JSON.stringify({ type: "result", reason: record.endReason ?? "finished", result: record.result ?? null } satisfies ResultMessage);

/** What the deployment's `onMatchEnd` hook is told about an ended match. */
export const matchSummary = (meta: RoomMeta, game: Game, record: MatchRecord, replay: MatchSummary["replay"]): MatchSummary => ({
  roomId: meta.roomId,
  game: game.name,
  preset: record.preset,
  reason: record.endReason ?? "finished",
  result: record.result ?? null,
  players: Object.entries(record.players).map(([id, seat]) => ({ id, userId: userOf(record, id), name: seat.name, team: seat.team })),
  startedAt: record.startedAt ?? null,
  endedAt: record.endedAt ?? 0,
  ticks: record.tick,
  replay,
});
