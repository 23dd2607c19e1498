// The room's whole life on a virtual clock: no tick without players, abandonment, disposal, leave, joining late, code changes (the record's bounds: record-bounds.test.ts).
import { env, exports } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RoomInfo, RoomSummary } from "../../../src/protocol/api.ts";
import type { MatchRecord } from "../../../src/engine/match.ts";
import { arena } from "../../../src/games/arena.ts";
import { hooks } from "../../../src/hooks.ts";
import type { GameRoom } from "../../../src/worker/room/game-room.ts";
import { roomSettings } from "../../../src/worker/settings.ts";
import { TestRoom } from "../../kit/room.ts";
import { isType, LEAVE, TestSocket } from "../../kit/socket.ts";
import { CLOCK } from "../../../src/worker/room/seams.ts";

const BASE = "http://room.test";
const post = (path: string, body: unknown) =>
  exports.default.fetch(`${BASE}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const clockOf = (room: TestRoom): Promise<number> => runInDurableObject(room.stub, (instance: GameRoom) => instance[CLOCK]());
const timings = roomSettings(env);

/** A room the matchmaker made, with the room's clock set to `now`. */
async function setClock(roomId: string, now: number): Promise<void> {
  await runInDurableObject(env.ROOMS.getByName(roomId), (instance: GameRoom) => {
    instance[CLOCK] = () => now;
  });
}

/** Every room in a game's pool, read page by page (the matchmaker never hands out its whole pool at once). */
async function pool(game: string): Promise<RoomSummary[]> {
  const rooms: RoomSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const answer = await env.MATCHMAKER.getByName(`${game}:local:0`).all(cursor, 100);
    rooms.push(...answer.rooms);
    cursor = answer.next;
    if (cursor === undefined) break;
  }
  return rooms;
}

/** Reports travel from the room to the matchmaker in the background: look until one arrives, a bounded number of times. */
async function poolEntry(game: string, roomId: string, until: (entry: RoomSummary | undefined) => boolean): Promise<RoomSummary | undefined> {
  for (let i = 0; i < 50; i++) {
    const entry = (await pool(game)).find((room) => room.roomId === roomId);
    if (until(entry)) return entry;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the pool never showed the expected entry for ${roomId}`);
}

describe("a realtime room", () => {
  it("with only a spectator writes no step and ticks not once in 60 simulated seconds", async () => {
    const room = await TestRoom.create("arena");
    const ann = await room.join("ann");
    await room.tick(3);
    ann.socket.send(LEAVE);
    await ann.socket.closing();
    const watcher = await room.join("eve", "spectate");
    expect((await room.info()).spectators).toBe(1);
    const before = (await room.info()).stats;
    const { tick } = await room.record();
    const start = await clockOf(room);
    // The spectator heartbeats (the runtime answers pings without waking the room); only alarms can wake it.
    for (let fired = 0; fired < 10; fired++) {
      const at = await room.alarmAt();
      if (at === null || at > start + 60_000) break;
      await room.skipTo(at);
    }
    const after = (await room.info()).stats;
    expect((await room.record()).tick).toBe(tick);
    expect(after.rowsWritten - before.rowsWritten).toBe(0);
    expect(after.alarms - before.alarms).toBeLessThanOrEqual(2);
    expect(watcher.socket.closed?.code ?? 4003).toBe(4003);
  });
});

describe("abandonment and disposal", () => {
  it("ends a match nobody is connected to as abandoned, drops it from the pool, and clears its storage after the retention", async () => {
    const seat = (await (await post("/api/matchmake", { game: "arena", preset: "squad", name: "ann" })).json()) as { roomId: string; ticket: string };
    const start = Date.now() + 3_600_000;
    await setClock(seat.roomId, start);
    const ann = await TestSocket.open(`${BASE}/rooms/${seat.roomId}/ws?ticket=${encodeURIComponent(seat.ticket)}`);
    await poolEntry("arena", seat.roomId, (entry) => entry?.seated === 1);
    const onMatchEnd = vi.spyOn(hooks, "onMatchEnd");
    ann.client.close();
    const stub = env.ROOMS.getByName(seat.roomId);
    const room = async () => (await stub.info()) as RoomInfo;
    // The seat is held for the grace period, then given up; the abandonment clock started when ann dropped.
    await setClock(seat.roomId, start + timings.reconnectGraceMs);
    await runDurableObjectAlarm(stub);
    expect((await room()).phase).toBe("waiting");
    await setClock(seat.roomId, start + timings.abandonAfterMs);
    await runDurableObjectAlarm(stub);
    expect((await room()).phase).toBe("abandoned");
    expect(onMatchEnd).toHaveBeenCalledWith(expect.objectContaining({ roomId: seat.roomId, reason: "abandoned", result: null }), expect.anything());
    await poolEntry("arena", seat.roomId, (entry) => entry === undefined);
    expect(await (await post(`/api/rooms/${seat.roomId}/join`, { name: "bob" })).json()).toMatchObject({ code: "room_ended" });
    await setClock(seat.roomId, start + timings.abandonAfterMs + timings.retentionMs);
    await runDurableObjectAlarm(stub);
    expect(await stub.info()).toMatchObject({ code: "room_not_found" });
    const stored = await runInDurableObject(stub, (_instance, state) => ({
      rows: ["meta", "records", "journal", "used_tickets", "sessions", "unconfirmed_tokens"].reduce((sum, table) => sum + state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).one().n, 0),
      alarm: null as number | null,
    }));
    expect(stored.rows).toBe(0);
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).toBeNull();
    onMatchEnd.mockRestore();
  });

  it("disposes of a room nobody joined a ticket's lifetime plus the margin after it was made", async () => {
    const room = await TestRoom.create("tic-tac-toe");
    const created = await clockOf(room);
    expect(await room.alarmAt()).toBe(created + timings.unusedRoomMs);
    await room.skipTo(created + timings.unusedRoomMs);
    expect(await room.stub.info()).toMatchObject({ code: "room_not_found" });
  });

  it("drops a quick-play room nobody joined from the pool when it is disposed of", async () => {
    const seat = (await (await post("/api/matchmake", { game: "arena", preset: "squad", name: "ghost" })).json()) as { roomId: string };
    await poolEntry("arena", seat.roomId, (entry) => entry?.reserved === 1);
    await setClock(seat.roomId, Date.now() + timings.unusedRoomMs + timings.ticketTtlMs);
    await runDurableObjectAlarm(env.ROOMS.getByName(seat.roomId));
    expect(await env.ROOMS.getByName(seat.roomId).info()).toMatchObject({ code: "room_not_found" });
    await poolEntry("arena", seat.roomId, (entry) => entry === undefined);
  });

  it("reports a reservation that lapsed unused, so the next quick play gets the seat", async () => {
    const first = (await (await post("/api/matchmake", { game: "tic-tac-toe", name: "ann" })).json()) as { roomId: string; ticket: string; expiresAt: number };
    await setClock(first.roomId, Date.now());
    await TestSocket.open(`${BASE}/rooms/${first.roomId}/ws?ticket=${encodeURIComponent(first.ticket)}`);
    // Bob is promised the second seat but never connects.
    const bob = (await (await post("/api/matchmake", { game: "tic-tac-toe", name: "bob" })).json()) as { roomId: string };
    expect(bob.roomId).toBe(first.roomId);
    expect((await poolEntry("tic-tac-toe", first.roomId, (entry) => entry?.reserved === 1))?.seated).toBe(1);
    await setClock(first.roomId, Date.now() + timings.ticketTtlMs + 1);
    await runDurableObjectAlarm(env.ROOMS.getByName(first.roomId));
    await poolEntry("tic-tac-toe", first.roomId, (entry) => entry?.reserved === 0);
    const cat = (await (await post("/api/matchmake", { game: "tic-tac-toe", name: "cat" })).json()) as { roomId: string };
    expect(cat.roomId).toBe(first.roomId);
  });
});

describe("leaving", () => {
  it("frees the seat at once with the leave message, and runs the game's leave", async () => {
    const room = await TestRoom.create("tic-tac-toe");
    const [x, o] = [await room.join("xavier"), await room.join("olga")];
    await expect(room.ticket("third")).rejects.toThrow(/room_full/);
    o.socket.send(LEAVE);
    expect(await o.socket.closing()).toEqual({ code: 1000, reason: "left" });
    await room.settle();
    const record = await room.record();
    expect(Object.keys(record.players)).toEqual([x.playerId]);
    // The seat is free at once: a fresh board takes the next player, with no grace period.
    const next = await room.join("nina");
    expect(next.team).toBe("o");
    // Her reconnect token left with her.
    const token = o.socket.welcome?.reconnectToken ?? "";
    expect(await TestSocket.attempt(room.reconnectUrl(token))).toMatchObject({ status: 401, error: { code: "reconnect_refused" } });
  });

  it("forfeits a tic-tac-toe game in progress", async () => {
    const room = await TestRoom.create("tic-tac-toe");
    const [x, o] = [await room.join("xavier"), await room.join("olga")];
    x.socket.act("place", { cell: 4 });
    await x.socket.flush();
    x.socket.send(LEAVE);
    await x.socket.closing();
    expect(await o.socket.next(isType("result"))).toEqual({ type: "result", reason: "finished", result: { winner: "o" } });
  });
});

describe("joining a match in progress", () => {
  it("is the game's decision: a battleship duel that started firing refuses a direct join and quick play opens another room", async () => {
    const first = (await (await post("/api/matchmake", { game: "battleship", preset: "quick", name: "rosa" })).json()) as { roomId: string; ticket: string };
    const second = (await (await post("/api/matchmake", { game: "battleship", preset: "quick", name: "bert" })).json()) as { roomId: string; ticket: string };
    expect(second.roomId).toBe(first.roomId);
    const sockets = await Promise.all([first, second].map((seat) => TestSocket.open(`${BASE}/rooms/${seat.roomId}/ws?ticket=${encodeURIComponent(seat.ticket)}`)));
    for (const socket of sockets) {
      socket.act("shuffle", {});
      socket.act("ready", {});
      await socket.flush();
    }
    await poolEntry("battleship", first.roomId, (entry) => entry?.joinable === false);
    expect(await (await post(`/api/rooms/${first.roomId}/join`, { name: "cleo" })).json()).toMatchObject({ code: "join_in_progress" });
    const third = (await (await post("/api/matchmake", { game: "battleship", preset: "quick", name: "cleo" })).json()) as { roomId: string };
    expect(third.roomId).not.toBe(first.roomId);
    const listed = (await (await exports.default.fetch(`${BASE}/api/rooms?game=battleship`)).json()) as { rooms: { roomId: string }[] };
    expect(listed.rooms.map((room) => room.roomId)).not.toContain(first.roomId);
  });
});

describe("a code change", () => {
  const version = arena.version;
  const migrate = arena.migrate;
  const setGame = (changes: { version: number; migrate?: typeof arena.migrate }) => Object.assign(arena, changes);
  afterEach(() => setGame({ version, migrate }));

  it("resumes from its last checkpoint, then migrates it when the game can", async () => {
    const room = await TestRoom.create("arena");
    const ann = await room.join("ann");
    ann.socket.act("input", { dx: 1, dy: 0 });
    await ann.socket.flush();
    await room.tick(5);
    const before = await room.record();
    const checkpoint = await runInDurableObject(room.stub, (_instance, state) => JSON.parse(state.storage.sql.exec<{ record: string }>("SELECT record FROM journal WHERE record IS NOT NULL ORDER BY n DESC LIMIT 1").one().record) as MatchRecord);
    setGame({ version: version + 1, migrate: (state) => ({ ...(state as object), migrated: true }) as never });
    await room.evict({ webSockets: "close" });
    const after = await room.record();
    // The checkpoint's tick and state (migrated): the steps after it are not run through the new rules. Its
    // versions are past every one the old instance sent; ann's socket died with it, so her seat is held.
    expect(after).toMatchObject({ gameVersion: version + 1, tick: checkpoint.tick });
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.result).toBeUndefined();
    expect(after.players[ann.playerId]?.presence).toBe("away");
    expect(after.state).toEqual({ ...(checkpoint.state as object), migrated: true });
    // The stored record is the migrated one: another wake changes nothing.
    await room.evict();
    expect(await room.record()).toEqual(after);
  });

  it("ends the match as incompatible when the game cannot migrate, and a returning player is told why", async () => {
    const room = await TestRoom.create("arena");
    const ann = await room.join("ann");
    await room.tick(3);
    const token = ann.socket.welcome?.reconnectToken ?? "";
    setGame({ version: version + 1 });
    await room.evict({ webSockets: "close" });
    const record = await room.record();
    expect(record).toMatchObject({ gameVersion: version + 1, endReason: "incompatible", result: null });
    const back = await TestSocket.open(room.reconnectUrl(token));
    expect(await back.next(isType("result"))).toEqual({ type: "result", reason: "incompatible", result: null });
    // Nothing is replayed through the new rules, and nothing ticks: only the retention is left.
    expect(await room.alarmAt()).toBe((record.endedAt ?? 0) + timings.retentionMs);
  });
});
