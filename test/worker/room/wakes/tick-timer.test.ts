// The tick timer: a ticking room's ticks come from memory, and its alarm is the earliest of its timers and a watchdog written every few seconds.
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { RoomAlarm } from "../../../../src/worker/room/wakes/alarm.ts";
import { randomId } from "../../../../src/worker/http.ts";
import type { GameRoom } from "../../../../src/worker/room/game-room.ts";
import { TICK_TIMER } from "../../../../src/worker/room/seams.ts";
import { settings } from "../../../../src/worker/settings.ts";
import { TestRoom, type Joined } from "../../../kit/room.ts";
import { LEAVE } from "../../../kit/socket.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An arena room on the real clock with two players connected, so it ticks at 20 Hz from its own timer. */
async function tickingArena(): Promise<TestRoom & { players: Joined[] }> {
  const room = await TestRoom.create("arena", { realTime: true });
  const players = [await room.join("ann"), await room.join("bob")];
  return Object.assign(room, { players });
}

describe("a ticking room on its tick timer", () => {
  it("ticks about 20 times a second with no alarm invocation and a handful of alarm writes", async () => {
    const room = await tickingArena();
    const before = await room.info();
    const started = Date.now();
    await sleep(1500);
    const after = await room.info();
    const elapsed = Date.now() - started;
    const ticks = after.stats.ticks - before.stats.ticks;
    // Never ahead of the timeline; on a busy machine behind it, but far from stopped (no alarm fires in 1.5 s).
    expect(ticks).toBeLessThanOrEqual(Math.floor(elapsed / room.period) + 1);
    expect(ticks).toBeGreaterThanOrEqual(10);
    expect(after.stats.timerWakes - before.stats.timerWakes).toBeGreaterThanOrEqual(ticks / settings.maxCatchUpTicks);
    expect(after.stats.alarms).toBe(0);
    // Creation, the first join (the watchdog), and at most one renewal: not one per tick.
    expect(after.stats.alarmWrites).toBeLessThanOrEqual(4);
    const alarm = await room.alarmAt();
    expect(alarm).not.toBeNull();
    expect(alarm ?? 0).toBeLessThanOrEqual(Date.now() + settings.tickWatchdogMs);
  });

  it("runs no extra tick when its alarm fires beside the live timer", async () => {
    const room = await tickingArena();
    await sleep(200);
    const before = (await room.record()).tick;
    const started = Date.now();
    for (let i = 0; i < 10; i++) expect(await runDurableObjectAlarm(room.stub)).toBe(true);
    const after = (await room.record()).tick;
    const elapsed = Date.now() - started;
    // The ten alarms share the timer's timeline: together they run only the ticks that came due meanwhile.
    expect(after - before).toBeLessThanOrEqual(Math.floor(elapsed / room.period) + 2);
    expect((await room.info()).stats.alarms).toBe(10);
  });

  it("ticks again from its watchdog alarm after the instance is lost with its sockets hibernated", async () => {
    const room = await tickingArena();
    await sleep(200);
    // A pending timer keeps an object alive (as on the platform since 2026-10-01), and workerd's test eviction waits
    // for it: the timer is stopped first, which leaves the watchdog alarm as the instance last set it.
    await runInDurableObject(room.stub, (instance: GameRoom) => void (instance[TICK_TIMER] = false));
    await room.evict({ webSockets: "hibernate" });
    // Nothing but the watchdog wakes it: fired by hand here, as the runtime would within tickWatchdogMs.
    expect(await runDurableObjectAlarm(room.stub)).toBe(true);
    const woke = (await room.record()).tick;
    await sleep(500);
    const { tick } = await room.record();
    const { stats } = await room.info();
    // The new instance's counters: that one alarm, then the timer again.
    expect(stats.alarms).toBe(1);
    expect(stats.timerWakes).toBeGreaterThanOrEqual(3);
    expect(tick - woke).toBeGreaterThanOrEqual(5);
  });

  it("clears its timer once nobody is left to tick for", async () => {
    const room = await tickingArena();
    await sleep(200);
    for (const { socket } of room.players) socket.send(LEAVE);
    for (const { socket } of room.players) await socket.closing();
    const before = (await room.info()).stats;
    await sleep(300);
    const after = (await room.info()).stats;
    expect(after.timerWakes).toBe(before.timerWakes);
    expect(after.ticks).toBe(before.ticks);
    // workerd's test eviction waits for pending timers: it goes through only because none is left.
    await room.evict();
  });
});

describe("the alarm of a ticking room", () => {
  // A real object's storage with no room in it, so nothing else sets its alarm.
  const inEmptyObject = <T>(run: (storage: DurableObjectStorage) => Promise<T>): Promise<T> =>
    runInDurableObject(env.ROOMS.getByName(randomId(12)), (_instance, state) => run(state.storage));

  it("is the earliest of a lifecycle timer and the watchdog, rewritten only when the watchdog gets close", async () => {
    await inEmptyObject(async (storage) => {
      // The timer's own firing is the other tests' subject: here it runs ticks of nothing.
      const alarm = new RoomAlarm(storage, () => undefined);
      const now = Date.now();
      // A held seat due before the watchdog: the alarm fires for it on time.
      alarm.plan(now, now + 500, 50, () => null);
      expect(await storage.getAlarm()).toBe(now + 500);
      // Nothing due sooner: the watchdog, and only one write for many ticks while it is far enough ahead.
      alarm.plan(now, now + 60_000, 50, () => null);
      expect(await storage.getAlarm()).toBe(now + settings.tickWatchdogMs);
      const writes = alarm.writes;
      for (let t = 50; t < settings.tickWatchdogMs - 1000; t += 50) alarm.plan(now + t, now + 60_000, 50, () => null);
      expect(alarm.writes).toBe(writes);
      alarm.plan(now + settings.tickWatchdogMs - 950, now + 60_000, 50, () => null);
      expect(await storage.getAlarm()).toBe(now + 2 * settings.tickWatchdogMs - 950);
      // With the timer off (tests on a virtual clock), each tick is the alarm again.
      alarm.timerOn = false;
      alarm.plan(now + settings.tickWatchdogMs, now + 60_000, 50, () => null);
      expect(await storage.getAlarm()).toBe(now + 50);
      alarm.clear();
      expect(await storage.getAlarm()).toBeNull();
    });
  });

  it("aims its one timer at the timeline's next tick and stops it when the room stops ticking", async () => {
    await inEmptyObject(async (storage) => {
      const aimed: number[] = [];
      const alarm = new RoomAlarm(storage, (at) => aimed.push(at));
      const now = Date.now();
      alarm.plan(now, null, 50, () => null);
      // Planned again before it fires (another entry point's step): still the one timer.
      alarm.plan(now + 10, null, 50, () => null);
      await sleep(80);
      expect(aimed).toEqual([now + 50]);
      expect(alarm.ticksDue(now + 50, 50)).toBe(1);
      alarm.plan(now + 50, null, 50, () => null);
      alarm.plan(now + 50, null, null, () => null);
      await sleep(80);
      expect(aimed).toEqual([now + 50]);
      alarm.clear();
    });
  });
});
