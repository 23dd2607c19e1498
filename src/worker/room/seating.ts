// Seat accounting outside the match record: seats promised to tickets not yet used, and room summaries.
import type { Game, PlayerId } from "../../engine/define-game.ts";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { capacityOf, configOf, seatedPlayer, seatsTaken, teamCounts, type MatchRecord } from "../../engine/match.ts";
import { randomId } from "../http.ts";
import type { RoomInfo, RoomSummary } from "../../protocol/api.ts";
import { joinable, phaseOf, type ReservationTimes } from "./lifecycle.ts";
import type { RoomMeta } from "./storage.ts";

/** A seat the room promised (the ticket's claims), or why it would not. */
export type Reservation = { ok: true; playerId: string; userId: string; team: string; name: string; summary: RoomSummary } | ErrorBody;

/**
 * Seats promised by tickets that have not connected yet, so that concurrent joins see each other
 * when teams are balanced. In memory only: a lost promise costs at most a slightly uneven team,
 * because the room checks capacity again, synchronously, when the ticket connects.
 */
export class Reservations implements ReservationTimes {
  #seats = new Map<PlayerId, { team: string; expires: number; user: string }>();

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

  /**
   * The seat of `user`: the one it holds or was promised (a second device or tab gets the same seat and takes it
   * over on connecting), else a new promise on the team with the fewest players, or a refusal when every seat
   * is taken or promised. The seat id is the user id, or a per-match alias when the game asks for one.
   */
  reserve(game: Game, record: MatchRecord, now: number, ttlMs: number, user: string): { playerId: string; team: string } | ErrorBody {
    this.expire(now);
    const playerId = this.#seatOf(game, record, user);
    const seated = seatedPlayer(record, playerId);
    if (seated) return { playerId, team: seated.team };
    const promised = this.#seats.get(playerId);
    if (promised) {
      promised.expires = Math.max(promised.expires, now + ttlMs);
      return { playerId, team: promised.team };
    }
    if (!joinable(game, record)) return errorBody("join_in_progress");
    const teams = [...this.#seats.values()].map((seat) => seat.team);
    if (seatsTaken(record) + teams.length >= capacityOf(game, record)) return errorBody("room_full");
    const team = game.assignTeam(teamCounts(game, record, teams), configOf(game, record));
    this.#seats.set(playerId, { team, expires: now + ttlMs, user });
    return { playerId, team };
  }

  /** The id `user` sits under in this match: the user id, or the alias its seat or promise already has, or a new one. */
  #seatOf(game: Game, record: MatchRecord, user: string): PlayerId {
    if (game.playerIds === "user") return user;
    const seated = Object.entries(record.users ?? {}).find(([, owner]) => owner === user)?.[0];
    const promised = [...this.#seats].find(([, seat]) => seat.user === user)?.[0];
    return seated ?? promised ?? `a_${randomId(10)}`;
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
