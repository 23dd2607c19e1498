// Matchmaker Durable Object, one per game and region: the pool of public rooms, quick play and listing.
import { DurableObject } from "cloudflare:workers";
import type { RoomSummary } from "../../protocol/api.ts";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { gameNamed } from "../../games/index.ts";
import type { Reservation } from "../room/seating.ts";
import { isError, randomId } from "../http.ts";

/** Named by game and region, so the pool can be sharded by region later without changing callers. */
export const matchmakerFor = (env: Env, game: string, region = "global") => env.MATCHMAKER.getByName(`${game}:${region}`);

/** Attempts at finding a seat before giving up: each failed one means a room filled up meanwhile. */
const ATTEMPTS = 8;

export class Matchmaker extends DurableObject<Env> {
  #pool = new Map<string, RoomSummary>();
  /** Reservations on their way to a room: counted at once, so concurrent requests never pick the same last seat. */
  #inflight = new Map<string, number>();
  /** Rooms being created; requests that pick one wait for it. */
  #creating = new Map<string, Promise<true | ErrorBody>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS rooms (id TEXT PRIMARY KEY, summary TEXT NOT NULL)");
    for (const row of ctx.storage.sql.exec<{ summary: string }>("SELECT summary FROM rooms")) {
      const summary = JSON.parse(row.summary) as RoomSummary;
      this.#pool.set(summary.roomId, summary);
    }
  }

  /** Create a public room of `preset` and add it to the pool. */
  async open(game: string, preset: string): Promise<{ roomId: string } | ErrorBody> {
    const roomId = this.#newRoom(game, preset);
    if (typeof roomId !== "string") return roomId;
    const created = await this.#creating.get(roomId);
    return created === true ? { roomId } : (created ?? errorBody("internal_error"));
  }

  /** Quick play: a seat in the fullest open room of `preset`, or in a new one. */
  async matchmake(game: string, preset: string, name: string, ttlMs: number): Promise<(Reservation & { roomId?: string }) | ErrorBody> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const roomId = this.#pick(preset) ?? this.#newRoom(game, preset);
      if (typeof roomId !== "string") return roomId;
      this.#inflight.set(roomId, (this.#inflight.get(roomId) ?? 0) + 1);
      let seat: Reservation;
      try {
        const created = await this.#creating.get(roomId);
        if (created !== undefined && created !== true) return created;
        seat = await this.env.ROOMS.getByName(roomId).reserve(name, ttlMs, "player");
      } finally {
        this.#inflight.set(roomId, (this.#inflight.get(roomId) ?? 1) - 1);
      }
      if (isError(seat)) {
        if (seat.code !== "room_full" && seat.code !== "room_ended") return seat;
        const known = this.#pool.get(roomId);
        if (known) this.#pool.set(roomId, { ...known, seated: known.capacity });
        continue;
      }
      this.update(seat.summary);
      return { ...seat, roomId };
    }
    return errorBody("room_full", { detail: "every room filled up while looking; try again" });
  }

  /** A room's report of its seats and phase. Rooms that ended, were abandoned or disposed of leave the pool. */
  update(summary: RoomSummary): void {
    const known = this.#pool.get(summary.roomId);
    if (known && known.version > summary.version && summary.phase !== "disposed") return;
    if (summary.phase === "ended" || summary.phase === "abandoned" || summary.phase === "disposed") {
      this.#pool.delete(summary.roomId);
      this.ctx.storage.sql.exec("DELETE FROM rooms WHERE id = ?", summary.roomId);
      return;
    }
    this.#pool.set(summary.roomId, summary);
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO rooms (id, summary) VALUES (?, ?)", summary.roomId, JSON.stringify(summary));
  }

  /** Open public rooms: not ended, with a free seat. */
  list(): RoomSummary[] {
    return [...this.#pool.values()].filter((room) => this.#free(room) > 0);
  }

  /** Every room in the pool, full ones included: for the dev inspector's room list. */
  all(): RoomSummary[] {
    return [...this.#pool.values()];
  }

  #free(room: RoomSummary): number {
    if (!room.joinable) return 0;
    return room.capacity - room.seated - room.reserved - (this.#inflight.get(room.roomId) ?? 0);
  }

  /** The fullest room of the preset that still has a free seat, so rooms fill one at a time. */
  #pick(preset: string): string | undefined {
    let best: RoomSummary | undefined;
    for (const room of this.#pool.values()) {
      if (room.preset !== preset || this.#free(room) <= 0) continue;
      if (!best || this.#free(room) < this.#free(best)) best = room;
    }
    return best?.roomId;
  }

  /** Add a room to the pool at once (synchronously) and create it in the background. */
  #newRoom(game: string, preset: string): string | ErrorBody {
    const definition = gameNamed(game);
    if (!definition) return errorBody("unknown_game");
    const config = definition.presets[preset];
    if (config === undefined) return errorBody("unknown_preset");
    const roomId = randomId(12);
    const capacity = definition.maxPlayers(config);
    this.#pool.set(roomId, { roomId, game, preset, listed: true, seated: 0, reserved: 0, capacity, phase: "created", joinable: true, version: -1 });
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
