// Idle sockets are closed and their seats freed, a waiting room costs one alarm; a client that stops reading is skipped, then resynced.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PING, type ServerMessage } from "../../../../src/protocol/messages.ts";
import { teamTag } from "../../../../src/engine/updates/views.ts";
import type { BattleshipView } from "../../../../src/games/battleship.ts";
import type { GameRoom } from "../../../../src/worker/room/game-room.ts";
import { settings } from "../../../../src/worker/settings.ts";
import { TestRoom, type Joined } from "../../../kit/room.ts";
import { isType, type TestSocket } from "../../../kit/socket.ts";
import { CLOCK } from "../../../../src/worker/room/seams.ts";

const IDLE_MS = settings.idleTimeoutSeconds * 1000;
const GRACE_MS = settings.reconnectGraceSeconds * 1000;

/** The room's clock (the kit's virtual one). */
const clock = (room: TestRoom) => runInDurableObject(room.stub, (instance: GameRoom) => instance[CLOCK]());

/** A heartbeat, answered by the runtime without waking the room; resolves once the pong is back. */
async function heartbeat(socket: TestSocket): Promise<void> {
  const from = socket.messages.length;
  socket.send(PING);
  await socket.next(isType("pong"), from);
}

const seen = (socket: TestSocket, version: number) => socket.send(JSON.stringify({ type: "seen", version }));

const isUpdate = (m: ServerMessage) => m.type === "patch" || m.type === "snapshot";
const versionOf = (m: ServerMessage) => (m.type === "patch" ? m.to : m.type === "snapshot" ? m.version : -1);

describe("an idle socket", () => {
  it("is closed with 4003 in a realtime room, its player goes away and then leaves; heartbeats and actions keep a socket open", async () => {
    const room = await TestRoom.create("arena", { preset: "squad" });
    const [ann, bob, cat] = [await room.join("ann"), await room.join("bob"), await room.join("cat")];
    const watcher = await room.join("eve", "spectate");
    // Ann and the spectator say nothing; bob only heartbeats; cat plays. Ten seconds pass per round.
    const keepUp = async () => {
      await heartbeat(bob.socket);
      cat.socket.act("input", { dx: 0.1, dy: 0 });
      await cat.socket.flush();
    };
    for (let round = 1; round <= 6; round++) {
      expect(ann.socket.closed).toBeUndefined();
      await keepUp();
      await room.skip(10 * 20);
    }
    expect(await ann.socket.closing()).toEqual({ code: 4003, reason: "idle" });
    expect((await watcher.socket.closing()).code).toBe(4003);
    const record = await room.record();
    expect(record.players[ann.playerId]).toMatchObject({ presence: "away", awayUntil: (await clock(room)) + GRACE_MS });
    expect(Object.keys(record.players)).toHaveLength(3);
    expect(bob.socket.closed).toBeUndefined();
    expect(cat.socket.closed).toBeUndefined();
    expect(record.players[bob.playerId]?.presence).toBe("connected");

    await keepUp();
    await room.skip(settings.reconnectGraceSeconds * 20 + 1);
    expect((await room.record()).players[ann.playerId]).toBeUndefined();
    expect(bob.socket.closed).toBeUndefined();
    // Ann's seat is free again: besides bob and cat, the four-seat room takes two new players, and no third.
    for (const name of ["dan", "fay"]) await room.join(name);
    await expect(room.ticket("gus")).rejects.toThrow(/room_full/);
  });

  it("is swept by the alarm of a turn-based room, which schedules no alarm once every socket is gone", async () => {
    const room = await TestRoom.create("tic-tac-toe");
    const [x, o] = [await room.join("xavier"), await room.join("olga")];
    const start = await clock(room);
    // Tic-tac-toe has no timers of its own: the alarm is the idle sweep, when the first socket could go idle.
    expect(await room.alarmAt()).toBe(start + IDLE_MS);
    // Xavier moves half-way through; the sweep then closes only olga, and comes back for xavier.
    await runInDurableObject(room.stub, (instance: GameRoom) => {
      instance[CLOCK] = () => start + IDLE_MS / 2;
    });
    x.socket.act("place", { cell: 4 });
    await x.socket.flush();
    expect(await room.alarmAt()).toBe(start + IDLE_MS);
    const before = (await room.info()).stats.alarms;

    await room.skipTo(start + IDLE_MS);
    expect((await o.socket.closing()).code).toBe(4003);
    expect(x.socket.closed).toBeUndefined();
    expect((await room.record()).players[o.playerId]).toMatchObject({ presence: "away", awayUntil: start + IDLE_MS + GRACE_MS });
    expect(await room.alarmAt()).toBe(start + IDLE_MS + IDLE_MS / 2);

    await room.skipTo(start + IDLE_MS + IDLE_MS / 2);
    expect((await x.socket.closing()).code).toBe(4003);
    // No socket is left: olga's seat was given up mid-game in that alarm (she forfeits), and only
    // xavier's held seat keeps an alarm; once it is given up, only the ended room's retention does.
    const forfeited = await room.record();
    expect(forfeited.players[o.playerId]).toBeUndefined();
    expect(forfeited.result).toEqual({ winner: "x" });
    expect(await room.alarmAt()).toBe(start + IDLE_MS + IDLE_MS / 2 + GRACE_MS);
    await room.skipTo(start + IDLE_MS + IDLE_MS / 2 + GRACE_MS);
    const { players, endedAt } = await room.record();
    expect(players).toEqual({});
    expect(await room.alarmAt()).toBe((endedAt ?? 0) + settings.retentionSeconds * 1000);
    expect((await room.info()).stats.alarms).toBe(before + 3);
  });
});

describe("a turn-based room waiting for a move", () => {
  it("runs one alarm in a minute, its turn deadline, which also sweeps the heartbeating clients", async () => {
    const room = await TestRoom.create("battleship", { preset: "patient" });
    const [rosa, bert] = [await room.join("rosa"), await room.join("bert")];
    for (const { socket } of [rosa, bert]) {
      socket.act("shuffle", {});
      socket.act("ready", {});
      await socket.flush();
    }
    const start = await clock(room);
    const game = (socket: TestSocket) => (socket.view as { game: BattleshipView }).game;
    const waiting = game(rosa.socket);
    expect(waiting).toMatchObject({ phase: "firing", turnEndsAt: start + 45_000 });
    // The deadline comes before the first socket could go idle, so it is the one alarm scheduled.
    expect(await room.alarmAt()).toBe(start + 45_000);
    const before = (await room.info()).stats.alarms;

    // Clients heartbeat as the SDK's session does; the runtime answers without waking the room.
    for (const { socket } of [rosa, bert]) await heartbeat(socket);
    await room.skipTo(start + 45_000);
    await rosa.socket.flush();
    expect(game(rosa.socket).lastShot).toMatchObject({ by: rosa.team, auto: true });
    expect((await room.info()).stats.alarms).toBe(before + 1);
    // That alarm's sweep found both clients fresh, so the next one is the next deadline, after the minute.
    expect(await room.alarmAt()).toBe(start + 90_000);
    for (const { socket } of [rosa, bert]) expect(socket.closed).toBeUndefined();
  });
});

describe("a client that stops reading", () => {
  it("is skipped once its unread bytes pass the budget while its team keeps every update, and resyncs with one snapshot", async () => {
    const room = await TestRoom.create("arena");
    const players: Joined[] = [];
    for (const name of ["ann", "bob", "cat", "dan", "eve", "fay"]) players.push(await room.join(name));
    const red = players.filter((p) => p.team === players[0]?.team);
    const [ann, cat, eve] = red.map((p) => p.socket) as [TestSocket, TestSocket, TestSocket];
    // Everyone drifts and turns round every 40 ticks, so every tick changes the red team's view.
    const steer = async (direction: number, who: Joined[]) => {
      for (const p of who) p.socket.act("input", { dx: 0.2 * direction, dy: 0.1 * direction });
      for (const p of who) await p.socket.flush();
    };
    await steer(1, players);
    // Cat reports once, so it is metered from here on, and then reports nothing more (it only heartbeats, to stay
    // open); ann reports after every 40 ticks, as the SDK would; eve never reports, like an older client.
    const optIn = cat.messages.length;
    seen(cat, cat.client.version);
    await cat.flush();
    const others = players.filter((p) => p.socket !== cat);
    // What the room sent cat since: every message but the runtime's pongs.
    const catBytes = () => cat.messages.slice(optIn).reduce((sum, m) => sum + (m.type === "pong" ? 0 : JSON.stringify(m).length), 0);
    let largest = 0;
    let direction = 1;
    for (let round = 0; round < 100; round++) {
      const [annFrom, catFrom] = [ann.messages.length, cat.messages.length];
      await room.tick(40);
      await steer((direction = -direction), others);
      await heartbeat(cat);
      const version = (await room.record()).version;
      for (const socket of [ann, eve]) expect(socket.client.version).toBe(version);
      expect(ann.messages.slice(annFrom).filter((m) => m.type === "patch")).toHaveLength(40);
      for (const m of cat.messages.slice(catFrom)) if (isUpdate(m)) largest = Math.max(largest, JSON.stringify(m).length);
      seen(ann, ann.client.version);
      if (cat.messages.slice(catFrom).every((m) => !isUpdate(m))) break;
    }
    // Cat fell behind: what it was sent stays within the budget plus one update (the one that crossed it).
    expect(catBytes()).toBeGreaterThan(settings.maxUnreadBytes);
    expect(catBytes()).toBeLessThanOrEqual(settings.maxUnreadBytes + largest);
    const held = cat.messages.length;
    await room.tick(100);
    await ann.flush();
    expect(cat.messages.length).toBe(held);
    // Answers to its own messages still reach it.
    const seq = cat.act("input", { dx: 0, dy: 0.2 });
    await room.tick(settings.flushActionTicks); // an ack waits until its step is stored
    await cat.next((m) => m.type === "ack" && m.seq === seq, held);
    expect(cat.messages.slice(held).filter(isUpdate)).toHaveLength(0);

    // It reads everything and reports the last version it got: exactly one snapshot, then patches again.
    const last = Math.max(...cat.messages.filter(isUpdate).map(versionOf));
    expect(last).toBeLessThan((await room.record()).version);
    const from = cat.messages.length;
    seen(cat, last);
    const snapshot = await cat.next(isType("snapshot"), from);
    const record = await room.record();
    expect(snapshot.version).toBe(record.version);
    expect(snapshot.view).toEqual(await room.view(teamTag(ann.welcome?.team ?? "")));
    await room.tick(10);
    await cat.flush();
    const resumed = cat.messages.slice(from);
    expect(resumed.filter((m) => m.type === "snapshot")).toHaveLength(2); // the catch-up, and the flush's own
    expect(resumed.filter((m) => m.type === "patch").length).toBeGreaterThanOrEqual(9);
    expect(cat.gaps).toBe(0);
    expect(cat.mismatches).toBe(0);
    expect(cat.view).toEqual(await room.view(teamTag(ann.welcome?.team ?? "")));
    for (const socket of [ann, eve]) expect([socket.gaps, socket.mismatches]).toEqual([0, 0]);
  });
});
