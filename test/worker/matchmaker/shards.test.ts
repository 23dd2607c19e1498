// Sharded quick play: the region from request.cf, spreading over shards under load, spilling from a full or hot shard,
// rooms reporting to their own shard, a region's paged listing, and a shard restart that keeps every listed room.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RoomInfo, RoomSummary } from "../../../src/protocol/api.ts";
import { randomId } from "../../../src/worker/http.ts";
import type { Matchmaker } from "../../../src/worker/matchmaker/matchmaker.ts";
import type { Region } from "../../../src/worker/matchmaker/regions.ts";
import { shardName, shardStub } from "../../../src/worker/matchmaker/shard-names.ts";
import { listRegion, openRoom, quickPlay } from "../../../src/worker/matchmaker/shards.ts";
import { CLOCK } from "../../../src/worker/room/seams.ts";
import { settings } from "../../../src/worker/settings.ts";
import { TestSocket } from "../../kit/socket.ts";

const { maxShards, hotShardRps, targetShardRps } = settings.matchmaking;
const guest = (name: string) => ({ userId: `guest:${name}`, name });
const shardsOf = (game: string, region: Region) => Array.from({ length: maxShards }, (_, i) => shardStub(env, shardName(game, region, i)));

/** Every shard of the region on one frozen clock: all requests fall in one second, as at a burst. */
async function freeze(game: string, region: Region, at: () => number): Promise<void> {
  for (const shard of shardsOf(game, region)) {
    await runInDurableObject(shard, (matchmaker: Matchmaker) => {
      matchmaker[CLOCK] = at;
    });
  }
}

const roomInfo = async (roomId: string) => (await env.ROOMS.getByName(roomId).info()) as RoomInfo;

describe("sharded quick play", () => {
  it("plays in the region of request.cf, on a shard of that region, and the room knows its shard", async () => {
    const response = await exports.default.fetch(
      new Request("http://room.test/api/matchmake", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ game: "tag", name: "eve" }),
        cf: { continent: "EU", country: "PL", longitude: "21.0" },
      }),
    );
    const seat = (await response.json()) as { roomId: string };
    expect((await roomInfo(seat.roomId)).shard).toBe("tag:eeur:0");
    const local = (await (await exports.default.fetch("http://room.test/api/matchmake", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ game: "tag", name: "lou" }) })).json()) as { roomId: string };
    expect((await roomInfo(local.roomId)).shard).toBe("tag:local:0");
  });

  it(`spreads over more shards once one passes ${targetShardRps} requests a second, none past ${hotShardRps}`, async () => {
    await freeze("arena", "weur", () => 5_000_000);
    const placed = [];
    for (let i = 0; i < 800; i++) {
      const seat = await quickPlay(env, { game: "arena", preset: "default", region: "weur", seekers: [guest(`p${i}`)], ttlMs: 60_000 });
      if ("type" in seat) throw new Error(seat.code);
      placed.push(seat);
    }
    const byShard = Map.groupBy(placed, (seat) => seat.shard);
    expect(byShard.size).toBeGreaterThanOrEqual(Math.ceil(800 / targetShardRps));
    const loads = await Promise.all(shardsOf("arena", "weur").map((shard) => shard.load()));
    expect(Math.max(...loads.map((load) => load.peak))).toBeLessThanOrEqual(hotShardRps);
    // Each room was created by, and is listed on, the shard that seated its players: it reports nowhere else.
    for (const [shard, seats] of byShard) {
      const info = await roomInfo(seats[0]?.roomId ?? "");
      expect(info.shard).toBe(shard);
    }
  });

  it("spills to a sibling when a shard's pool is full", async () => {
    const first = shardStub(env, shardName("tag", "afr", 0));
    for (let i = 0; i < settings.maxPoolRooms; i += 100) {
      await Promise.all(Array.from({ length: 100 }, () => first.update(fullRoom("tag", shardName("tag", "afr", 0)))));
    }
    const seat = await quickPlay(env, { game: "tag", preset: "default", region: "afr", seekers: [guest("ada")], ttlMs: 60_000 });
    expect(seat).toMatchObject({ shard: "tag:afr:1" });
    const opened = await openRoom(env, "tag", "default", "afr", () => 0);
    if ("type" in opened) throw new Error(opened.code);
    expect((await roomInfo(opened.roomId)).shard).toBe("tag:afr:1");
  });

  it("spills to a sibling when a shard is hot", async () => {
    await freeze("tic-tac-toe", "sam", () => 7_000_000);
    const first = shardStub(env, shardName("tic-tac-toe", "sam", 0));
    for (let i = 0; i <= hotShardRps; i += 50) await Promise.all(Array.from({ length: 50 }, () => first.list(undefined, 1)));
    const seat = await quickPlay(env, { game: "tic-tac-toe", preset: "default", region: "sam", seekers: [guest("sol")], ttlMs: 60_000 }, () => 0);
    expect(seat).toMatchObject({ shard: "tic-tac-toe:sam:1" });
  });
});

describe("a region whose every shard is hot", () => {
  it("answers 503 matchmaking_busy and seats nobody", async () => {
    await freeze("battleship", "wnam", () => 8_000_000);
    for (const shard of shardsOf("battleship", "wnam")) {
      for (let i = 0; i <= hotShardRps; i += 100) await Promise.all(Array.from({ length: 100 }, () => shard.list(undefined, 1)));
    }
    const answer = await quickPlay(env, { game: "battleship", preset: "default", region: "wnam", seekers: [guest("vic")], ttlMs: 60_000 });
    expect(answer).toMatchObject({ type: "error", code: "matchmaking_busy" });
    const loads = await Promise.all(shardsOf("battleship", "wnam").map((shard) => shard.load()));
    expect(loads.every((load) => load.rooms === 0)).toBe(true);
  });
});

describe("a region's listing", () => {
  it("pages through every shard of the region, loses no room when a shard restarts, and follows the rooms' own reports", async () => {
    const opened: string[] = [];
    for (let index = 0; index < 3; index++) {
      const shard = shardName("battleship", "oc", index);
      for (let i = 0; i < 3; i++) {
        const room = await shardStub(env, shard).open("battleship", "default", shard, "oc");
        if ("roomId" in room) opened.push(room.roomId);
      }
    }
    expect(opened).toHaveLength(9);
    const listAll = async () => {
      const seen: RoomSummary[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const answer = await listRegion(env, "battleship", "oc", cursor, 4);
        expect(answer.rooms.length).toBeLessThanOrEqual(4);
        seen.push(...answer.rooms);
        cursor = answer.next;
        if (cursor === undefined) break;
      }
      return seen;
    };
    expect((await listAll()).map((room) => room.roomId).sort()).toEqual([...opened].sort());
    for (const shard of shardsOf("battleship", "oc").slice(0, 3)) await evictDurableObject(shard);
    expect((await listAll()).map((room) => room.roomId).sort()).toEqual([...opened].sort());
    // A player takes a seat in a room of shard 1: the room's own report reaches shard 1, and the listing shows it.
    const target = opened[4] ?? "";
    const joined = (await (await exports.default.fetch(`http://room.test/api/rooms/${target}/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "kai" }) })).json()) as { ticket: string };
    await TestSocket.open(`http://room.test/rooms/${target}/ws?ticket=${encodeURIComponent(joined.ticket)}`);
    let seated = 0;
    for (let i = 0; i < 50 && seated === 0; i++) {
      seated = (await listAll()).find((room) => room.roomId === target)?.seated ?? 0;
      if (seated === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(seated).toBe(1);
    expect((await shardStub(env, shardName("battleship", "oc", 1)).all(undefined, 10)).rooms.find((room) => room.roomId === target)?.seated).toBe(1);
    expect((await shardStub(env, shardName("battleship", "oc", 0)).all(undefined, 10)).rooms.some((room) => room.roomId === target)).toBe(false);
  });

  it("refuses an unknown region and a malformed cursor", async () => {
    const bad = await exports.default.fetch("http://room.test/api/rooms?game=tag&region=mars");
    expect(await bad.json()).toMatchObject({ code: "invalid_region" });
    const cursor = await exports.default.fetch("http://room.test/api/rooms?game=tag&cursor=9.nope");
    expect(cursor.status).toBe(400);
    const page = (await (await exports.default.fetch("http://room.test/api/rooms?game=tag&region=afr&limit=2")).json()) as { next?: string };
    expect(page.next).toMatch(/^\d\.[a-km-np-z2-9]{12}$|^\d\.$/);
  });
});

function fullRoom(game: string, shard: string): RoomSummary {
  return { roomId: randomId(12), shard, game, preset: "default", listed: true, seated: 8, reserved: 0, capacity: 8, phase: "playing", joinable: true, version: 1 };
}
