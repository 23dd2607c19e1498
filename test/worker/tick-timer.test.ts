// The tick timer on real time: a ticking room's ticks come from memory, its alarm is a watchdog written every few seconds.
import { describe, expect, it } from "vitest";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { GameRoom } from "../../src/worker/room/game-room.ts";
import { TICK_TIMER } from "../../src/worker/room/seams.ts";
import { settings } from "../../src/worker/settings.ts";
import { TestRoom, type Joined } from "../kit/room.ts";

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
    for (const { socket } of room.players) socket.send(JSON.stringify({ type: "leave" }));
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
