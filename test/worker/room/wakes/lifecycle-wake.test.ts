// The lifecycle where it meets a wake: a match ended by a code change, promises lost with the instance, a migration over the budget, refused joins.
import { env, exports } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject, evictDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RoomSummary } from "../../../../src/protocol/api.ts";
import { arena } from "../../../../src/games/arena.ts";
import { hooks } from "../../../../src/hooks.ts";
import type { GameRoom } from "../../../../src/worker/room/game-room.ts";
import { roomSettings, settings } from "../../../../src/worker/settings.ts";
import { recordBudget, TestRoom } from "../../../kit/room.ts";
import { TestSocket } from "../../../kit/socket.ts";
import { CLOCK } from "../../../../src/worker/room/seams.ts";

const BASE = "http://room.test";
const post = (path: string, body: unknown) =>
  exports.default.fetch(`${BASE}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const timings = roomSettings(env);

async function setClock(roomId: string, now: number): Promise<void> {
  await runInDurableObject(env.ROOMS.getByName(roomId), (instance: GameRoom) => {
    instance[CLOCK] = () => now;
  });
}

async function poolEntry(game: string, roomId: string, until: (entry: RoomSummary | undefined) => boolean): Promise<RoomSummary | undefined> {
  let last: RoomSummary | undefined;
  for (let i = 0; i < 50; i++) {
    const answer = await env.MATCHMAKER.getByName(`${game}:local:0`).all(undefined, 100);
    last = answer.rooms.find((room) => room.roomId === roomId);
    if (until(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the pool never showed the expected entry for ${roomId}: ${JSON.stringify(last)}`);
}

describe("a match ended as incompatible when the room wakes under new code", () => {
  const version = arena.version;
  afterEach(() => Object.assign(arena, { version }));

  it("runs onMatchEnd once, as docs/lifecycle.md promises for every end", async () => {
    const { room } = await TestRoom.withDroppedPlayer();
    const onMatchEnd = vi.spyOn(hooks, "onMatchEnd");
    Object.assign(arena, { version: version + 1 });
    await room.evict({ webSockets: "close" });
    expect(await room.record()).toMatchObject({ endReason: "incompatible" });
    await room.settle();
    expect(onMatchEnd).toHaveBeenCalledWith(expect.objectContaining({ roomId: room.id, reason: "incompatible" }), expect.anything());
    onMatchEnd.mockRestore();
  });

  it("leaves the matchmaking pool", async () => {
    const seat = (await (await post("/api/matchmake", { game: "arena", preset: "squad", name: "ann" })).json()) as { roomId: string; ticket: string };
    const ann = await TestSocket.open(`${BASE}/rooms/${seat.roomId}/ws?ticket=${encodeURIComponent(seat.ticket)}`);
    await poolEntry("arena", seat.roomId, (entry) => entry?.seated === 1);
    // Ann drops; her seat is held (away), so the record has nobody "connected" when the new code arrives.
    ann.client.close();
    await runInDurableObject(env.ROOMS.getByName(seat.roomId), () => undefined);
    Object.assign(arena, { version: version + 1 });
    await evictDurableObject(env.ROOMS.getByName(seat.roomId), { webSockets: "close" });
    expect(await env.ROOMS.getByName(seat.roomId).info()).toMatchObject({ phase: "ended", joinable: false });
    await poolEntry("arena", seat.roomId, (entry) => entry === undefined);
  });
});

describe("a seat promised before the room hibernated", () => {
  it("is reported free once it lapses, so the next quick play gets it", async () => {
    const first = (await (await post("/api/matchmake", { game: "tic-tac-toe", name: "ann" })).json()) as { roomId: string; ticket: string };
    await setClock(first.roomId, Date.now());
    await TestSocket.open(`${BASE}/rooms/${first.roomId}/ws?ticket=${encodeURIComponent(first.ticket)}`);
    const bob = (await (await post("/api/matchmake", { game: "tic-tac-toe", name: "bob" })).json()) as { roomId: string };
    expect(bob.roomId).toBe(first.roomId);
    await poolEntry("tic-tac-toe", first.roomId, (entry) => entry?.reserved === 1);
    // An idle room with one hibernatable socket hibernates within seconds; the promise lived in memory only.
    await evictDurableObject(env.ROOMS.getByName(first.roomId), { webSockets: "hibernate" });
    await setClock(first.roomId, Date.now() + timings.ticketTtlMs + 1);
    await runDurableObjectAlarm(env.ROOMS.getByName(first.roomId));
    await poolEntry("tic-tac-toe", first.roomId, (entry) => entry?.reserved === 0);
  });
});

describe("a migration that outgrows the record's budget", () => {
  const { version, migrate } = arena;
  afterEach(() => Object.assign(arena, { version, migrate }));

  it("does not wedge the room: it still loads and answers", async () => {
    const { room } = await TestRoom.withDroppedPlayer();
    // A new version that adds a large table to the state (a map, say) of a room near its budget.
    Object.assign(arena, { version: version + 1, migrate: (state: object) => ({ ...state, added: "x".repeat(settings.maxRecordBytes) }) });
    await room.evict({ webSockets: "close" });
    const info = await room.stub.info().catch((error: unknown) => ({ thrown: String(error) }));
    expect(info).not.toHaveProperty("thrown");
    expect(await room.record()).toMatchObject({ endReason: "limit", gameVersion: version + 1 });
  });
});

describe("joins refused at the record's budget", () => {
  const setBudget = recordBudget();

  it("leave no reconnect token behind for a player who never got a seat", async () => {
    const room = await TestRoom.create("arena");
    await room.join("ann");
    await room.tick(2);
    setBudget((await room.info()).stats.recordBytes + 60);
    const sessions = () => runInDurableObject(room.stub, (_instance, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM sessions").one().n);
    expect(await sessions()).toBe(1);
    for (let i = 0; i < 5; i++) {
      const { url } = await room.ticket(`visitor-name-${i}`);
      expect(await TestSocket.attempt(url)).toMatchObject({ status: 507, error: { code: "record_too_large" } });
    }
    // Every refused join wrote a token row that nothing ever deletes (tokens go only with a leave entry).
    expect(await sessions()).toBe(1);
  });
});
