// Matchmaker Durable Object, one per game and region: the pool of public rooms, quick play and listing.
import { DurableObject } from "cloudflare:workers";
import type { RoomSummary } from "../../protocol/api.ts";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { gameNamed } from "../../games/index.ts";
import type { Reservation } from "../room/seating.ts";
import { isError, randomId } from "../http.ts";
import { RoomPool } from "./pool.ts";

/** Named by game and region, so the pool can be sharded by region later without changing callers. */
export const matchmakerFor = (env: Env, game: string, region = "global") => env.MATCHMAKER.getByName(`${game}:${region}`);

/** Attempts at finding a seat before giving up: each failed one means a room filled up meanwhile. */
const ATTEMPTS = 8;

/** A room's answers that say this room cannot seat the player now, though another room may. */
const REFUSALS_OF_THE_ROOM: ReadonlySet<string> = new Set(["room_full", "room_ended", "join_in_progress"]);

export class Matchmaker extends DurableObject<Env> {
  /** In SQLite, read by query: waking the object reads no row. */
  #pool: RoomPool;
  /** Reservations on their way to a room: counted at once, so concurrent requests never pick the same last seat. */
  #inflight = new Map<string, number>();
  /** Rooms being created; requests that pick one wait for it. */
  #creating = new Map<string, Promise<true | ErrorBody>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#pool = new RoomPool(ctx.storage.sql);
  }

  /** Create a public room of `preset` and add it to the pool. */
  async open(game: string, preset: string): Promise<{ roomId: string } | ErrorBody> {
    const roomId = this.#newRoom(game, preset);
    if (typeof roomId !== "string") return roomId;
    const created = await this.#creating.get(roomId);
    return created === true ? { roomId } : (created ?? errorBody("internal_error"));
  }

  /** Quick play: a seat in the fullest open room of `preset`, or in a new one. */
  async matchmake(game: string, preset: string, user: { userId: string; name: string }, ttlMs: number): Promise<(Reservation & { roomId?: string }) | ErrorBody> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const roomId = this.#pick(preset) ?? this.#newRoom(game, preset);
      if (typeof roomId !== "string") return roomId;
      this.#inflight.set(roomId, (this.#inflight.get(roomId) ?? 0) + 1);
      let seat: Reservation;
      try {
        const created = await this.#creating.get(roomId);
        if (created !== undefined && created !== true) return created;
        seat = await this.env.ROOMS.getByName(roomId).reserve(user, ttlMs, "player");
      } finally {
        const left = (this.#inflight.get(roomId) ?? 1) - 1;
        if (left > 0) this.#inflight.set(roomId, left);
        else this.#inflight.delete(roomId);
      }
      if (isError(seat)) {
        // The pool is only as fresh as the last report that arrived: a room that cannot seat this player
        // (full, started, ended, gone) is set aside until it reports again, and the next one is tried.
        if (seat.code === "room_not_found") this.#pool.delete(roomId);
        else if (REFUSALS_OF_THE_ROOM.has(seat.code)) this.#pool.markFull(roomId);
        else return seat;
        continue;
      }
      this.update(seat.summary);
      return { ...seat, roomId };
    }
    return errorBody("room_full", { detail: "every room filled up while looking; try again" });
  }

  /** A room's report of its seats and phase. Rooms that can no longer take players leave the pool. */
  update(summary: RoomSummary): void {
    this.#pool.put(summary, Date.now());
  }

  /** Open public rooms (with a free seat), a page at a time by room id. */
  list(cursor: string | undefined, limit: number): { rooms: RoomSummary[]; next?: string } {
    return this.#pool.page({ cursor, limit });
  }

  /** Rooms in the pool, full ones included, a page at a time: for the dev inspector's room list. */
  all(cursor: string | undefined, limit: number): { rooms: RoomSummary[]; next?: string } {
    return this.#pool.page({ cursor, limit, withFull: true });
  }

  /**
   * The fullest room of the preset that still has a free seat, so rooms fill one at a time. Rooms with
   * reservations in flight may have no seat left, so one more candidate than there are such rooms is enough.
   */
  #pick(preset: string): string | undefined {
    const candidates = this.#pool.candidates(preset, this.#inflight.size + 1);
    return candidates.find((room) => room.free - (this.#inflight.get(room.roomId) ?? 0) > 0)?.roomId;
  }

  /** Add a room to the pool at once (synchronously) and create it in the background; refused when the pool is full. */
  #newRoom(game: string, preset: string): string | ErrorBody {
    const definition = gameNamed(game);
    if (!definition) return errorBody("unknown_game");
    const config = definition.presets[preset];
    if (config === undefined) return errorBody("unknown_preset");
    const now = Date.now();
    this.#pool.prune(now);
    if (this.#pool.full) return errorBody("pool_full");
    const roomId = randomId(12);
    const capacity = definition.maxPlayers(config);
    this.#pool.put({ roomId, game, preset, listed: true, seated: 0, reserved: 0, capacity, phase: "created", joinable: true, version: -1 }, now);
    const seed = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
    const creation = this.env.ROOMS.getByName(roomId)
      .create({ roomId, game, preset, seed, listed: true })
      .then((created): true | ErrorBody => ("type" in created ? created : true))
      .catch((): ErrorBody => errorBody("internal_error", { detail: "room creation failed" }))
      .then((created) => {
        this.#creating.delete(roomId);
        if (created !== true) this.#pool.delete(roomId);
        return created;
      });
    this.#creating.set(roomId, creation);
    return roomId;
  }
}

/** Tell the matchmaker about a room's seat changes and its match's end; never on the gameplay path, never throws. */
export function reportRoom(env: Env, summary: RoomSummary): void {
  matchmakerFor(env, summary.game)
    .update(summary)
    .catch((error: unknown) => console.error("matchmaker update failed", error));
}

/**
 * One room's reports: a summary whose seats, phase and joinability the matchmaker already heard is not sent
 * again. In memory, so a woken room sends its first one; `force` sends regardless (the matchmaker may have
 * counted something the room has forgotten, such as a promised seat).
 */
export class PoolReporter {
  #env: Env;
  #last = "";

  constructor(env: Env) {
    this.#env = env;
  }

  report(summary: RoomSummary, force = false): void {
    if (!summary.listed) return;
    const key = `${summary.phase}:${summary.joinable}:${summary.seated}:${summary.reserved}`;
    if (key === this.#last && !force) return;
    this.#last = key;
    reportRoom(this.#env, summary);
  }
}
