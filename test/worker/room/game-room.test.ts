// The GameRoom in workerd: real storage, real alarms (fired by the test), real sockets through the Worker.
import { describe, expect, it } from "vitest";
import { createRandom } from "../../../src/engine/random.ts";
import { teamTag } from "../../../src/engine/updates/views.ts";
import { shownPlayer, type ArenaPlayer, type ArenaView } from "../../../src/games/arena.ts";
import { resumeSkip } from "../../../src/worker/room/storage/journal.ts";
import { settings } from "../../../src/worker/settings.ts";
import { TestRoom, type Joined } from "../../kit/room.ts";
import { acknowledges } from "../../kit/socket.ts";

const FOG = 250;

async function arenaWithFour(seed = 7): Promise<{ room: TestRoom; players: Joined[] }> {
  const room = await TestRoom.create("arena", { seed });
  const players: Joined[] = [];
  for (const name of ["ann", "bob", "cat", "dan"]) players.push(await room.join(name));
  return { room, players };
}

describe("an arena room", () => {
  it("balances teams as players join", async () => {
    const { players } = await arenaWithFour();
    expect(players.map((p) => p.team)).toEqual(["red", "blue", "red", "blue"]);
  });

  it("keeps every team's patched view equal to the server's view after every tick, and hides fogged enemies", async () => {
    const { room, players } = await arenaWithFour();
    const random = createRandom(99);
    let hiddenSeen = 0;
    for (let t = 0; t < 120; t++) {
      if (t % 10 === 0) {
        for (const p of players) p.socket.act("input", { dx: random.between(-1, 1), dy: random.between(-1, 1) });
      }
      for (const p of players) await p.socket.flush();
      await room.tick();
      const record = await room.record();
      const all = Object.values((record.state as { players: Record<string, ArenaPlayer> }).players);
      for (const p of players) {
        await p.socket.flush();
        expect(p.socket.view).toEqual(await room.view(teamTag(p.team)));
        const visible = new Set((p.socket.game as ArenaView).players.map((shown) => shown.id));
        for (const other of all) {
          const inSight = other.team === p.team || all.some((o) => o.team === p.team && Math.hypot(o.x - other.x, o.y - other.y) <= FOG);
          expect(visible.has(other.id)).toBe(inSight);
          if (!inSight) hiddenSeen += 1;
        }
      }
    }
    expect(hiddenSeen).toBeGreaterThan(0);
    expect(players.every((p) => p.socket.gaps === 0 && p.socket.mismatches === 0)).toBe(true);
    expect((await room.record()).tick).toBe(120);
  });

  it("acknowledges an applied action and shows it in the state", async () => {
    const { room, players } = await arenaWithFour();
    const [ann] = players as [Joined];
    const x = shownPlayer(ann.socket.game as ArenaView, ann.playerId)?.x ?? Number.NaN;
    const seq = ann.socket.act("input", { dx: x < 500 ? 1 : -1, dy: 0 });
    await ann.socket.flush();
    await room.tick();
    // The update that shows the input carries its ack once its step is stored: at most flushActionTicks - 1 ticks later.
    await room.tick(settings.flushActionTicks - 1);
    const update = await ann.socket.next((m) => (m.type === "patch" || m.type === "snapshot") && m.ack === seq);
    expect(update.type).toBe("patch");
    expect(Math.abs((shownPlayer(ann.socket.game as ArenaView, ann.playerId)?.x ?? Number.NaN) - x)).toBeCloseTo(10 * settings.flushActionTicks);
  });

  it("continues with the same state and identities after eviction", async () => {
    const { room, players } = await arenaWithFour();
    for (const p of players) p.socket.act("input", { dx: 0.5, dy: -0.5 });
    for (const p of players) await p.socket.flush();
    // The inputs' batch is stored after flushActionTicks ticks; the room wakes from exactly that.
    await room.tick(settings.flushActionTicks);
    const before = await room.record();
    await room.evict();
    // It died ticking, so its versions jump past any it may have sent unstored (one step of its own).
    expect(await room.record()).toEqual({ ...before, version: before.version + resumeSkip() + 1 });
    const [ann] = players as [Joined];
    const from = ann.socket.messages.length;
    const seq = ann.socket.act("input", { dx: -1, dy: 1 });
    await ann.socket.flush();
    await room.tick(10);
    await ann.socket.next(acknowledges(seq), from);
    const after = await room.record();
    // The woken instance stored its resume step on the real clock, an hour behind the test's, so the first alarm
    // after it runs as late: it catches up at most maxCatchUpTicks.
    expect(after.tick).toBeGreaterThanOrEqual(before.tick + 10);
    expect(after.tick).toBeLessThan(before.tick + 10 + settings.maxCatchUpTicks);
    expect(Object.keys(after.players).sort()).toEqual(Object.keys(before.players).sort());
    for (const p of players) {
      await p.socket.flush();
      expect(p.socket.closed).toBeUndefined();
      expect(p.socket.view).toEqual(await room.view(teamTag(p.team)));
      // The versions jumped on the wake, so a client may have resynced once, never more.
      expect(p.socket.gaps).toBeLessThanOrEqual(1);
    }
  });

  it("runs a fired-twice alarm once and catches up at most a few ticks after a late one", async () => {
    const { room } = await arenaWithFour();
    await room.tick();
    const { tick } = await room.record();
    await room.tick(0);
    const { runDurableObjectAlarm } = await import("cloudflare:test");
    await runDurableObjectAlarm(room.stub);
    expect((await room.record()).tick).toBe(tick);
    await room.skip(10);
    expect((await room.record()).tick).toBe(tick + settings.maxCatchUpTicks);
  });

  it("ticks only while a player is connected, then plans only the abandonment", async () => {
    const { room, ann } = await TestRoom.withDroppedPlayer();
    const away = await room.record();
    expect(away.players[ann.playerId]?.presence).toBe("away");
    // No connected player: no tick alarm, only the held seat's release.
    expect(await room.alarmAt()).toBe(away.players[ann.playerId]?.awayUntil);
    await room.skip(settings.reconnectGraceSeconds * 20 + 1);
    const empty = await room.record();
    expect(empty.players[ann.playerId]).toBeUndefined();
    expect(empty.tick).toBe(away.tick);
    expect(await room.alarmAt()).toBe((empty.vacantSince ?? 0) + settings.abandonAfterSeconds * 1000);
  });
});
