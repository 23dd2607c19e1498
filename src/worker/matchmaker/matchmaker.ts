// Matchmaker Durable Object, one per game, region and shard index: its pool of public rooms, quick play and listing.
import { DurableObject } from "cloudflare:workers";
import type { RoomSummary } from "../../protocol/api.ts";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { gameNamed } from "../../games/index.ts";
import type { GroupReservation } from "../room/seating.ts";
import { CLOCK } from "../room/seams.ts";
import { isError, randomId } from "../http.ts";
import { settings } from "../settings.ts";
import { LoadMeter } from "./load-meter.ts";
import { RoomPool } from "./pool.ts";
import { locationHint, type Region } from "./regions.ts";
import { rangeOf, skillWindowOf, type Seeker } from "./skill.ts";
import { shardName, shardStub } from "./shard-names.ts";

/** One quick play: a solo player or a whole party, seated together in one room of `preset`. */
export interface QuickPlay {
  readonly game: string;
  readonly preset: string;
  readonly seekers: readonly Seeker[];
  readonly ttlMs: number;
  /** The shard's own name and region: rooms it creates report to it and are placed near its players. */
  readonly shard: string;
  readonly region: Region;
}

export type PlacedSeat = { playerId: string; userId: string; team: string; name: string };
/** Seats for every seeker in one room; `load` is the shard's requests per second, which the Worker spreads by. */
export type Placed = { roomId: string; seats: PlacedSeat[]; summary: RoomSummary; load: number };
/** This shard will not take the request (too busy, or its pool is full): the Worker asks a sibling. */
export type Spill = { spill: "hot" | "full"; load: number };

export const isSpill = (answer: object): answer is Spill => "spill" in answer;

/** Attempts at finding a seat before giving up: each failed one means a room filled up meanwhile. */
const ATTEMPTS = 8;

/** A room's answers that say this room cannot seat the player now, though another room may. */
const REFUSALS_OF_THE_ROOM: ReadonlySet<string> = new Set(["room_full", "room_ended", "join_in_progress"]);

export class Matchmaker extends DurableObject<Env> {
  /** In SQLite, read by query: waking the object reads no row; a restart loses no listed room. */
  #pool: RoomPool;
  /** Seats on their way to a room: counted at once, so concurrent requests never pick the same last seat. */
  #inflight = new Map<string, number>();
  /** Rooms being created; requests that pick one wait for it. */
  #creating = new Map<string, Promise<true | ErrorBody>>();
  #meter = new LoadMeter();
  /** The shard's clock (load, pool ages, skill windows); the matchmaking simulation and tests replace it. */
  [CLOCK]: () => number = () => Date.now();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#pool = new RoomPool(ctx.storage.sql);
  }

  /** Create a public room of `preset` and add it to the pool (`POST /api/rooms`). */
  async open(game: string, preset: string, shard: string, region: Region): Promise<{ roomId: string } | Spill | ErrorBody> {
    const load = this.#meter.hit(this[CLOCK]());
    const roomId = this.#newRoom({ game, preset, shard, region, seekers: [], ttlMs: 0 });
    if (typeof roomId !== "string") return "code" in roomId ? roomId : { ...roomId, load };
    const created = await this.#creating.get(roomId);
    return created === true ? { roomId } : (created ?? errorBody("internal_error"));
  }

  /** Quick play: seats for every seeker in the fullest open room of the preset that fits them (and their skill), or in a new one. */
  async matchmake(request: QuickPlay): Promise<Placed | Spill | ErrorBody> {
    const load = this.#meter.hit(this[CLOCK]());
    if (load > settings.matchmaking.hotShardRps) return { spill: "hot", load };
    const users = request.seekers.map(({ userId, name }) => ({ userId, name }));
    const count = users.length;
    // Rooms that refused this group though they may seat others (no team with room for a whole party).
    const passed = new Set<string>();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const roomId = this.#pick(request, passed) ?? this.#newRoom(request);
      if (typeof roomId !== "string") return "code" in roomId ? roomId : { ...roomId, load };
      this.#inflight.set(roomId, (this.#inflight.get(roomId) ?? 0) + count);
      let seat: GroupReservation;
      try {
        const created = await this.#creating.get(roomId);
        if (created !== undefined && created !== true) return created;
        seat = await this.env.ROOMS.getByName(roomId).reserveGroup(users, request.ttlMs);
      } finally {
        const left = (this.#inflight.get(roomId) ?? count) - count;
        if (left > 0) this.#inflight.set(roomId, left);
        else this.#inflight.delete(roomId);
      }
      if (isError(seat)) {
        // The pool is only as fresh as the last report that arrived: a room that cannot seat this player
        // (full, started, ended, gone) is set aside until it reports again, and the next one is tried.
        if (seat.code === "room_not_found") this.#pool.delete(roomId);
        else if (seat.code === "room_full" && count > 1) passed.add(roomId);
        else if (REFUSALS_OF_THE_ROOM.has(seat.code)) this.#pool.markFull(roomId);
        else return seat;
        continue;
      }
      this.#pool.put(seat.summary, this[CLOCK]());
      return { roomId, seats: seat.seats, summary: seat.summary, load };
    }
    return errorBody("room_full", { detail: "every room filled up while looking; try again" });
  }

  /** A room's report of its seats and phase. Rooms that can no longer take players leave the pool. */
  update(summary: RoomSummary): void {
    const now = this[CLOCK]();
    this.#meter.hit(now);
    this.#pool.put(summary, now);
  }

  /** Open public rooms (with a free seat), a page at a time by room id. */
  list(cursor: string | undefined, limit: number): { rooms: RoomSummary[]; next?: string } {
    this.#meter.hit(this[CLOCK]());
    return this.#pool.page({ cursor, limit });
  }

  /** Rooms in the pool, full ones included, a page at a time: for the dev inspector's room list. */
  all(cursor: string | undefined, limit: number): { rooms: RoomSummary[]; next?: string } {
    return this.#pool.page({ cursor, limit, withFull: true });
  }

  /** The shard's request rate now, its busiest second and its requests since it was loaded, with its pool's size. */
  load(): { rate: number; peak: number; total: number; rooms: number } {
    return { ...this.#meter.stats(this[CLOCK]()), rooms: this.#pool.size };
  }

  /**
   * The fullest room of the preset with room for the whole group (within its skill window, for a skill game),
   * so rooms fill one at a time. Rooms with seats in flight or passed over may not fit, so one more candidate
   * than there are such rooms is enough. The chosen room's rating range takes the group in before any await,
   * so concurrent picks never stretch it past its window.
   */
  #pick(request: QuickPlay, passed: ReadonlySet<string>): string | undefined {
    const count = request.seekers.length;
    const window = skillWindowOf(request.game);
    const range = rangeOf(request.seekers);
    const skill = window ? { window, range, now: this[CLOCK]() } : undefined;
    const candidates = this.#pool.candidates(request.preset, this.#inflight.size + passed.size + 1, count, skill);
    const roomId = candidates.find((room) => !passed.has(room.roomId) && room.free - (this.#inflight.get(room.roomId) ?? 0) >= count)?.roomId;
    if (roomId !== undefined && count > 0) this.#pool.widen(roomId, range);
    return roomId;
  }

  /** Add a room to the pool at once (synchronously) and create it in the background, near the shard's region. */
  #newRoom(request: QuickPlay): string | Omit<Spill, "load"> | ErrorBody {
    const { game, preset } = request;
    const definition = gameNamed(game);
    if (!definition) return errorBody("unknown_game");
    const config = definition.presets[preset];
    if (config === undefined) return errorBody("unknown_preset");
    const now = this[CLOCK]();
    this.#pool.prune(now);
    if (this.#pool.full) return { spill: "full" };
    const roomId = randomId(12);
    const capacity = definition.maxPlayers(config);
    this.#pool.put({ roomId, shard: request.shard, game, preset, listed: true, seated: 0, reserved: 0, capacity, phase: "created", joinable: true, version: -1 }, now);
    if (request.seekers.length > 0) this.#pool.widen(roomId, rangeOf(request.seekers));
    const seed = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
    const hint = locationHint(request.region);
    const creation = this.env.ROOMS.getByName(roomId, hint === undefined ? {} : { locationHint: hint })
      .create({ roomId, game, preset, seed, listed: true, shard: request.shard })
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

/**
 * Tell the room's own shard about its seat changes and its match's end; never on the gameplay path, never
 * throws. A room stored before shards existed names none: it reports to shard 0 of the default region.
 */
export function reportRoom(env: Env, summary: RoomSummary): void {
  shardStub(env, summary.shard ?? shardName(summary.game, settings.matchmaking.defaultRegion, 0))
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
