// What a room-hour costs in alarms and rows: 16 players moving, 16 idle, spectators only, abandoned. Real rooms, virtual clock.
import { describe, expect, inject, it } from "vitest";
import { createRandom } from "../../src/engine/random.ts";
import { roomSettings, settings } from "../../src/worker/settings.ts";
import { env } from "cloudflare:workers";
import { rowsLeft, SoakRoom, wallCap, type LeanSocket } from "./driver.ts";
import type { Sample, ScenarioResult } from "./results.ts";

const HOUR_MS = 3_600_000;
/** The SDK's heartbeat period (GameSession's `pingEveryMs` default). */
const HEARTBEAT_MS = 2_000;
/** Most alarms a timer-driven room may run in its simulated window before the scenario gives up. */
const MAX_TIMER_ALARMS = 10_000;

type Meta = { soak?: ScenarioResult };

/** The counters' growth from `start` to `end`. */
const delta = (start: Sample, end: Sample) => ({
  ticks: end.tick - start.tick,
  alarms: end.alarms - start.alarms,
  rowsWritten: end.rowsWritten - start.rowsWritten,
  messagesIn: end.messagesIn - start.messagesIn,
});

/** Sixteen seated players, steering (a new direction each second, an input every tick as the bench's bots) or idle. */
async function ticking(name: "moving" | "idle", description: string, moving: boolean): Promise<ScenarioResult> {
  const ticks = inject("soakTicks");
  const cap = wallCap(inject("soakCapMinutes"));
  const random = createRandom(7);
  const soak = await SoakRoom.create("arena");
  const players: LeanSocket[] = [];
  for (let i = 0; i < 16; i++) players.push(await soak.join(`p${i}`));
  const start = await soak.sample();
  const samples: Sample[] = [start];
  const tickHz = soak.room.game.tickHz;
  const heartbeatTicks = (HEARTBEAT_MS / 1000) * tickHz;
  let heartbeats = 0;
  const steer = players.map(() => ({ dx: 0, dy: 0 }));
  for (let tick = 1; tick <= ticks; tick++) {
    if (moving) {
      if (tick % tickHz === 1) for (const s of steer) Object.assign(s, { dx: random.between(-1, 1), dy: random.between(-1, 1) });
      players.forEach((p, i) => p.input(steer[i]?.dx ?? 0, steer[i]?.dy ?? 0));
    } else if (tick % heartbeatTicks === 0) {
      for (const p of players) p.heartbeat();
      heartbeats += players.length;
    }
    await soak.tick();
    if (tick % tickHz === 0) await soak.settle();
    if (tick % 600 === 0) {
      samples.push(await soak.sample());
      if (tick % 12_000 === 0) console.log(`${name}: tick ${tick}/${ticks} after ${cap.elapsed().toFixed(0)} s`);
      cap.check(`at tick ${tick}`);
    }
  }
  const end = await soak.sample();
  for (const p of players) expect(p.closed, "every player stayed connected").toBeUndefined();
  return { name, description, simulatedSeconds: ticks / tickHz, wallSeconds: cap.elapsed(), ...delta(start, end), heartbeats, replayLogBound: settings.maxReplaySteps, tickedAllHour: true, samples: [...samples, end] };
}

/**
 * A room that only timers wake: jump the clock from alarm to alarm for `ms` of simulated time. Before each jump
 * every watcher sends a heartbeat (the runtime answers it; the room only reads its stamp), and the heartbeats
 * the SDK would have sent in the time skipped (one per `HEARTBEAT_MS`) are counted for the bill.
 */
async function byTimers(soak: SoakRoom, ms: number, watchers: readonly LeanSocket[], onAlarm: (sample: Sample | null) => void = () => {}) {
  const until = soak.clock.now + ms;
  let alarms = 0;
  let heartbeats = 0;
  let last = soak.clock.now;
  for (; alarms < MAX_TIMER_ALARMS; alarms++) {
    const next = await soak.room.alarmAt();
    const upTo = next === null ? until : Math.min(next, until);
    for (const w of watchers) w.heartbeat();
    heartbeats += watchers.filter((w) => w.open).length * Math.max(1, Math.round((upTo - last) / HEARTBEAT_MS));
    last = upTo;
    await soak.settle();
    if (!(await soak.nextAlarm(until))) break;
    onAlarm(await soak.info().then(() => soak.sample()).catch(() => null));
  }
  if (alarms >= MAX_TIMER_ALARMS) throw new Error(`more than ${MAX_TIMER_ALARMS} alarms in ${ms / 1000} simulated seconds`);
  soak.clock.now = Math.max(soak.clock.now, until);
  return { alarms, heartbeats };
}

describe("a room-hour of each kind", () => {
  it("16 players moving: one alarm per tick; a row per flushActionTicks ticks (the steps' batch, a checkpoint now and then inside it)", async ({ task }) => {
    const result = await ticking("moving", "16-player arena, every player steering every tick, nobody leaving", true);
    (task.meta as Meta).soak = result;
    expect(result.ticks).toBe(inject("soakTicks"));
    // One alarm per tick; one row per batch of flushActionTicks ticks, plus the 16 joins' rows (step, token, ticket).
    expect(result.alarms).toBeGreaterThanOrEqual(result.ticks);
    expect(result.rowsWritten).toBeLessThanOrEqual(Math.ceil(result.ticks / settings.flushActionTicks) + 64);
  });

  it("16 players connected, not moving: it still ticks (a seated player is connected)", async ({ task }) => {
    const result = await ticking("idle", "16-player arena, every player connected and heartbeating (every 2 s), no input", false);
    (task.meta as Meta).soak = result;
    expect(result.ticks).toBe(inject("soakTicks"));
    expect(result.messagesIn, "heartbeats never reach the room").toBe(0);
    // A tick without input writes no row: one row per flushIdleTicks of them, plus the joins'.
    expect(result.rowsWritten).toBeLessThanOrEqual(Math.ceil(result.ticks / settings.flushIdleTicks) + 64);
  });

  it("spectators only: no tick; the match nobody plays ends as abandoned; sweeps for the watchers' sockets", async ({ task }) => {
    const cap = wallCap(inject("soakCapMinutes"));
    const soak = await SoakRoom.create("arena");
    const players = [await soak.join("ann"), await soak.join("bob")];
    const watchers: LeanSocket[] = [];
    for (let i = 0; i < 4; i++) watchers.push(await soak.spectate(`eve${i}`));
    for (let i = 0; i < 200; i++) {
      for (const p of players) p.input(1, 0);
      await soak.tick();
    }
    for (const p of players) p.leave();
    await soak.settle();
    const start = await soak.sample();
    const samples: Sample[] = [start];
    const timers = await byTimers(soak, HOUR_MS, watchers, (s) => s && samples.push(s));
    const end = await soak.sample();
    const counts = delta(start, end);
    (task.meta as Meta).soak = {
      name: "spectators",
      description: "arena with 4 spectators heartbeating (every 2 s) after its 2 players left",
      simulatedSeconds: HOUR_MS / 1000,
      wallSeconds: cap.elapsed(),
      ...counts,
      alarms: timers.alarms,
      heartbeats: timers.heartbeats,
      replayLogBound: settings.maxReplaySteps,
      tickedAllHour: false,
      samples: [...samples, end],
    };
    expect(counts.ticks, "spectators alone keep no tick running").toBe(0);
    expect(end.phase).toBe("abandoned");
    for (const w of watchers) expect(w.results).toEqual(["abandoned"]);
    for (const w of watchers) expect(w.closed, "heartbeating spectators stay connected").toBeUndefined();
  });

  it("abandoned: every player dropped; the seats lapse, the match ends, the room clears itself after the retention", async ({ task }) => {
    const cap = wallCap(inject("soakCapMinutes"));
    const soak = await SoakRoom.create("arena");
    const players: LeanSocket[] = [];
    for (let i = 0; i < 16; i++) players.push(await soak.join(`p${i}`));
    for (let i = 0; i < 200; i++) {
      for (const p of players) p.input(0, 1);
      await soak.tick();
    }
    for (const p of players) p.drop(soak.second);
    await soak.settle();
    const start = await soak.sample();
    const samples: Sample[] = [start];
    const first = await byTimers(soak, HOUR_MS, [], (s) => s && samples.push(s));
    const end = await soak.sample();
    const counts = delta(start, end);
    // The second hour: the retention runs out and the room disposes of itself.
    const { retentionMs, abandonAfterMs } = roomSettings(env, soak.room.game);
    const later = await byTimers(soak, retentionMs + abandonAfterMs, []);
    const left = await rowsLeft(soak);
    (task.meta as Meta).soak = {
      name: "abandoned",
      description: `arena whose 16 players all dropped; first hour after the drop (disposal ${later.alarms} alarm(s) later leaves ${left} rows)`,
      simulatedSeconds: HOUR_MS / 1000,
      wallSeconds: cap.elapsed(),
      ...counts,
      alarms: first.alarms,
      heartbeats: 0,
      replayLogBound: settings.maxReplaySteps,
      tickedAllHour: false,
      samples: [...samples, end],
    };
    expect(end.phase).toBe("abandoned");
    expect(end.seated).toBe(0);
    expect(counts.ticks).toBe(0);
    expect(later.alarms).toBeGreaterThanOrEqual(1);
    expect(left, "a disposed room leaves no row behind").toBe(0);
  });
});
