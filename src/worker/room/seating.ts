// Seat accounting outside the match record: seats promised to tickets not yet used, and room summaries.
import type { Game, PlayerId } from "../../engine/define-game.ts";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { capacityOf, configOf, seatedPlayer, seatsTaken, teamCounts, type MatchRecord } from "../../engine/match.ts";
import { randomId } from "../http.ts";
import type { RoomInfo, RoomSummary } from "../../protocol/api.ts";
import { joinable, phaseOf, type ReservationTimes } from "./lifecycle.ts";
import type { RoomMeta } from "./storage/storage.ts";

/** A seat the room promised (the ticket's claims), or why it would not. */
export type Reservation = { ok: true; playerId: string; userId: string; team: string; name: string; summary: RoomSummary } | ErrorBody;

/** Seats promised together (a party, or one quick player), all in this room, or why not. */
export type GroupReservation = { ok: true; seats: { playerId: string; userId: string; team: string; name: string }[]; summary: RoomSummary } | ErrorBody;

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

  /** Promise `user` a seat (the one it holds or was promised, else on the team with the fewest players), or refuse. */
  reserve(game: Game, record: MatchRecord, now: number, ttlMs: number, user: string): { playerId: string; team: string } | ErrorBody {
    const seats = this.reserveGroup(game, record, now, ttlMs, [user]);
    return "type" in seats ? seats : (seats[0] as { playerId: string; team: string });
  }

  /**
   * Promise seats to `users` at once (a party, or one player), all or none, in their order. A user who holds a
   * seat or a promise here gets that one again (a second device or tab takes it over on connecting). The others
   * go on one team that has room for all of them (a team holds at most its share of the capacity), or, for a
   * party larger than a team, spread as single players. The seat id is the user id, or a per-match alias.
   */
  reserveGroup(game: Game, record: MatchRecord, now: number, ttlMs: number, users: readonly string[]): { playerId: string; team: string }[] | ErrorBody {
    this.expire(now);
    const held = users.map((user) => this.#heldSeat(game, record, user, now, ttlMs));
    // A user listed twice (one player who joined a party from two devices) gets one seat.
    const newcomers = [...new Set(users.filter((_, i) => held[i] === undefined))];
    const count = newcomers.length;
    if (count === 0) return held as { playerId: string; team: string }[];
    if (!joinable(game, record)) return errorBody("join_in_progress");
    const promised = [...this.#seats.values()].map((seat) => seat.team);
    const capacity = capacityOf(game, record);
    if (seatsTaken(record) + promised.length + count > capacity) return errorBody("room_full");
    const config = configOf(game, record);
    const counts = teamCounts(game, record, promised);
    const share = Math.ceil(capacity / game.teams.length);
    const roomFor = (team: string) => share - (counts[team] ?? 0) >= count;
    let teams: string[];
    if (count === 1 || count > share) {
      teams = Array.from({ length: count }, () => {
        const team = game.assignTeam(counts, config);
        counts[team] = (counts[team] ?? 0) + 1;
        return team;
      });
    } else {
      const preferred = game.assignTeam(counts, config);
      const team = roomFor(preferred) ? preferred : game.teams.find(roomFor);
      if (team === undefined) return errorBody("room_full", { detail: "no team has room for the whole party" });
      teams = Array<string>(count).fill(team);
    }
    const assigned = new Map(
      newcomers.map((user, i) => {
        const team = teams[i] as string;
        const playerId = game.playerIds === "user" ? user : `a_${randomId(10)}`;
        this.#seats.set(playerId, { team, expires: now + ttlMs, user });
        return [user, { playerId, team }] as const;
      }),
    );
    return users.map((user, i) => held[i] ?? (assigned.get(user) as { playerId: string; team: string }));
  }

  /** The seat `user` sits in or was promised in this match (a promise is extended to this ticket), if any. */
  #heldSeat(game: Game, record: MatchRecord, user: string, now: number, ttlMs: number): { playerId: string; team: string } | undefined {
    const seatedAs = game.playerIds === "user" ? user : Object.entries(record.users ?? {}).find(([, owner]) => owner === user)?.[0];
    const seated = seatedAs === undefined ? undefined : seatedPlayer(record, seatedAs);
    if (seated) return { playerId: seated.id, team: seated.team };
    const promise = [...this.#seats].find(([, seat]) => seat.user === user);
    if (!promise) return undefined;
    promise[1].expires = Math.max(promise[1].expires, now + ttlMs);
    return { playerId: promise[0], team: promise[1].team };
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
    ...(meta.shard === undefined ? {} : { shard: meta.shard }),
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
