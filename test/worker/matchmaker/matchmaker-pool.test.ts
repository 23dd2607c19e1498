// The matchmaker's pool: bounded, listed a page at a time, pruned of stale empty rooms, and never read whole.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RoomSummary } from "../../../src/protocol/api.ts";
import { randomId } from "../../../src/worker/http.ts";
import type { Matchmaker } from "../../../src/worker/matchmaker/matchmaker.ts";
import { RoomPool } from "../../../src/worker/matchmaker/pool.ts";
import { CLOCK } from "../../../src/worker/room/seams.ts";
import { settings } from "../../../src/worker/settings.ts";
import { client } from "../../kit/edge.ts";

const summary = (overrides: Partial<RoomSummary> = {}): RoomSummary => ({
  roomId: randomId(12), game: "tag", preset: "default", listed: true, seated: 1, reserved: 0, capacity: 8, phase: "waiting", joinable: true, version: 1, ...overrides,
});

/** A fresh matchmaker shard of its own (a name nobody else uses), so counts start at zero. */
const freshMatchmaker = () => env.MATCHMAKER.getByName(`tag:test-${randomId(8)}:0`);

describe("the matchmaker's pool", () => {
  it("lists open rooms a page at a time by id, with a cursor, and never a full or ended room", async () => {
    const matchmaker = freshMatchmaker();
    const open = Array.from({ length: 45 }, () => summary());
    for (const room of open) await matchmaker.update(room);
    await matchmaker.update(summary({ seated: 8 }));
    await matchmaker.update(summary({ phase: "ended" }));
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    for (let page = 0; page < 10; page++) {
      const answer = await matchmaker.list(cursor, settings.listPageSize);
      sizes.push(answer.rooms.length);
      seen.push(...answer.rooms.map((room) => room.roomId));
      cursor = answer.next;
      if (cursor === undefined) break;
    }
    expect(sizes).toEqual([20, 20, 5]);
    expect(seen).toEqual(open.map((room) => room.roomId).sort());
  });

  it("pages GET /api/rooms with limit and cursor, and refuses a bad one", async () => {
    const worker = client(undefined);
    const first = (await (await worker.fetch("/api/rooms?game=battleship&limit=1")).json()) as { rooms: unknown[]; next?: string };
    expect(first.rooms.length).toBeLessThanOrEqual(1);
    for (const query of ["limit=0", `limit=${settings.maxListPageSize + 1}`, "limit=x", "cursor=not-a-room-id"]) {
      const answer = await worker.fetch(`/api/rooms?game=arena&${query}`);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ code: "invalid_request" });
    }
  });

  it(`holds at most ${settings.maxPoolRooms} rooms: past that, the shard sends new public rooms to a sibling`, async () => {
    const matchmaker = freshMatchmaker();
    // On a clock of its own: the thousand reports make the shard hot for the second they arrive in, and the test
    // asks about a full pool, not a hot shard.
    let now = Date.now();
    await runInDurableObject(matchmaker, (instance: Matchmaker) => void (instance[CLOCK] = () => now));
    for (let i = 0; i < settings.maxPoolRooms; i += 100) {
      await Promise.all(Array.from({ length: 100 }, () => matchmaker.update(summary({ seated: 8 }))));
    }
    now += 5_000;
    expect(await matchmaker.open("tag", "default", "tag:test:0", "local")).toMatchObject({ spill: "full" });
    const seekers = [{ userId: "guest:ann", name: "ann" }];
    expect(await matchmaker.matchmake({ game: "tag", preset: "default", seekers, ttlMs: 15_000, shard: "tag:test:0", region: "local" })).toMatchObject({ spill: "full" });
    const size = await runInDurableObject(matchmaker, (_instance, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM pool").one()["n"]);
    expect(size).toBe(settings.maxPoolRooms);
  });

  it("drops empty rooms that reported nothing for a while, rooms that report they ended or were abandoned, and never picks an unjoinable one", async () => {
    const matchmaker = freshMatchmaker();
    await runInDurableObject(matchmaker, (_instance, state) => {
      const pool = new RoomPool(state.storage.sql);
      const t0 = 1_000_000;
      const empty = summary({ seated: 0 });
      const busy = summary({ seated: 3 });
      const unjoinable = summary({ seated: 1, joinable: false });
      for (const room of [empty, busy, unjoinable]) pool.put(room, t0);
      pool.prune(t0 + 1000 * settings.emptyRoomPoolSeconds - 1);
      expect(pool.get(empty.roomId)).toBeDefined();
      pool.prune(t0 + 1000 * settings.emptyRoomPoolSeconds + 1);
      expect(pool.get(empty.roomId)).toBeUndefined();
      expect(pool.get(busy.roomId)).toBeDefined();
      expect(pool.candidates("default", 10).map((room) => room.roomId)).toEqual([busy.roomId]);
      for (const phase of ["ended", "abandoned", "disposed"]) {
        const room = summary();
        pool.put(room, t0);
        expect(pool.put({ ...room, version: 2, phase } as RoomSummary, t0)).toBe(false);
        expect(pool.get(room.roomId)).toBeUndefined();
      }
    });
  });
});
