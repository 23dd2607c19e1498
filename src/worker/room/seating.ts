// Seat accounting outside the match record: seats promised to tickets not yet used, and room summaries.
import type { Game, PlayerId } from "../../engine/define-game.ts";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { capacityOf, configOf, seatsTaken, teamCounts, type MatchRecord } from "../../engine/match.ts";
import { randomId } from "../http.ts";
import type { RoomInfo, RoomSummary } from "../../protocol/api.ts";
import { joinable, phaseOf, type ReservationTimes } from "./lifecycle.ts";
import type { RoomMeta } from "./storage.ts";

/** A seat the room promised (the ticket's claims), or why it would not. */
export type Reservation = { ok: true; playerId: string; team: string; name: string; summary: RoomSummary } | ErrorBody;

/**
 * Seats promised by tickets that have not connected yet, so that concurrent joins see each other
 * when teams are balanced. In memory only: a lost promise costs at most a slightly uneven team,
 * because the room checks capacity again, synchronously, when the ticket connects.
 */
export class Reservations implements ReservationTimes {
  #seats = new Map<PlayerId, { team: string; expires: number }>();

  get size(): number {
    return this.#seats.size;
  }

  get nextExpiry(): number | null {
    return this.#extreme(Math.min);
  }

  get lastExpiry(): number | null {
    return this.#extreme(Math.max);
  }

  /** Forget promises that lapsed by `now`; true if any did (the room's summary changed). */
  expire(now: number): boolean {
    const before = this.#seats.size;
    for (const [id, seat] of this.#seats) if (seat.expires <= now) this.#seats.delete(id);
    return this.#seats.size !== before;
  }

  /** Promise a seat on the team with the fewest players, or refuse when every seat is taken or promised. */
  reserve(game: Game, record: MatchRecord, now: number, ttlMs: number): { playerId: string; team: string } | ErrorBody {
    this.expire(now);
    if (!joinable(game, record)) return errorBody("join_in_progress");
    const promised = [...this.#seats.values()].map((seat) => seat.team);
    if (seatsTaken(record) + promised.length >= capacityOf(game, record)) return errorBody("room_full");
    const team = game.assignTeam(teamCounts(game, record, promised), configOf(game, record));
    const playerId = randomId(10);
    this.#seats.set(playerId, { team, expires: now + ttlMs });
    return { playerId, team };
  }

  /** The ticket connected: its seat is now in the record. */
  redeem(playerId: PlayerId): void {
    this.#seats.delete(playerId);
  }

  #extreme(pick: (...values: number[]) => number): number | null {
    return this.#seats.size === 0 ? null : pick(...[...this.#seats.values()].map((seat) => seat.expires));
  }
}

export function summarize(meta: RoomMeta, game: Game, record: MatchRecord, reserved: number): RoomSummary {
  return {
    roomId: meta.roomId,
    game: game.name,
    preset: record.preset,
    listed: meta.listed,
    seated: seatsTaken(record),
    reserved,
    capacity: capacityOf(game, record),
    phase: phaseOf(game, record),
    joinable: joinable(game, record),
    version: record.version,
  };
}

export const describeRoom = (summary: RoomSummary, record: MatchRecord, spectators: number, stats: RoomInfo["stats"]): RoomInfo => ({
  ...summary,
  spectators,
  tick: record.tick,
  players: Object.entries(record.players).map(([id, seat]) => ({ id, name: seat.name, team: seat.team, presence: seat.presence, ...(seat.awayUntil === undefined ? {} : { awayUntil: seat.awayUntil }) })),
  stats,
});
