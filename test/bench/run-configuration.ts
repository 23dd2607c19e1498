// One run of one configuration: a fresh dev server, its rooms full of bots behind the relay, one measure window.
import { loadavg } from "node:os";
import { Bot, createRoom, join, sleep, type RoomInfo } from "../e2e/kit/dev-server.ts";
import type { Figures } from "./results/figures.ts";
import { Fleet } from "./clients/fleet.ts";
import { startHost, type Host, type HostName } from "./servers/hosts.ts";
import { LeanBot } from "./clients/lean-bot.ts";
import type { Configuration } from "./options.ts";
import { byName, cpuSince, groupUsage } from "./servers/process-group.ts";
import { profileWindow } from "./servers/perf.ts";
import { Relay } from "./clients/relay.ts";
import { percentile, percentiles, round } from "./results/stats.ts";

const TICK_HZ = 20;
const HOUR_SECONDS = 3600;

export interface Window {
  readonly warmupSeconds: number;
  readonly seconds: number;
  /** Where each bare-workerd window's `perf` profile goes (`npm run bench -- --perf`); none unless set. */
  readonly perfDir?: string | undefined;
}

/** Called about once a second with what the run is doing. */
export type Progress = (status: string) => void;

/** Thrown when the rooms cannot use the configuration's preset (the static variant's preset is missing). */
export class PresetMissing extends Error {}

/**
 * Thrown when a room's counters went backwards in the window: wrangler rebuilt the worker (a source
 * file changed under it) and the room was reloaded, so the window measured a restart, not the scenario.
 */
export class Reloaded extends Error {}

export async function runConfiguration(config: Configuration, host: HostName, window: Window, progress: Progress, started: (server: Host) => void): Promise<Figures> {
  progress(`starting ${host === "wrangler" ? "wrangler dev" : "the Worker on bare workerd"}`);
  const server = await startHost(host, window.perfDir !== undefined);
  started(server);
  const fleet = new Fleet();
  let relay: Relay | undefined;
  try {
    const port = new URL(server.url).port;
    relay = await Relay.start(Number(port));
    const relayed = relay.port;
    const roomIds = await Promise.all(Array.from({ length: config.rooms }, () => create(server.url, config.preset)));
    // Rooms fill in parallel; within a room players join one by one, so teams alternate as the scenario says.
    await Promise.all(roomIds.map(async (roomId) => {
      for (let i = 0; i < config.players; i++) {
        const seat = await join(server.url, roomId, `bot${i}`);
        const through = { ...seat, wsUrl: seat.wsUrl.replace(`:${port}/`, `:${relayed}/`) };
        fleet.add(config.bots === "lean" ? await LeanBot.connect(through) : await Bot.connect(through, undefined, 30_000));
        progress(`connecting ${fleet.bots.length}/${config.players * config.rooms} bots`);
      }
    }));

    fleet.start();
    for (let s = 0; s < window.warmupSeconds; s++) {
      progress(`warming up ${s}/${window.warmupSeconds} s`);
      await sleep(1000);
    }
    const roomsBefore = await Promise.all(roomIds.map((id) => roomStats(server.url, id)));
    const roomsAt = performance.now();
    const before = { usage: groupUsage(server.pid), relay: { ...relay.counts }, received: fleet.received(), bench: process.cpuUsage(), load: loadavg()[0] ?? 0, at: performance.now() };
    fleet.measuring = true;
    const profiled = profileWindow(host === "workerd" ? window.perfDir : undefined, server.pid, window.seconds, `${config.name}@${host}`);
    const clients = fleet.bots.length;
    for (let s = 0; s < window.seconds; s++) {
      const elapsed = (performance.now() - before.at) / 1000;
      const wire = elapsed > 0 ? (relay.counts.down - before.relay.down) / clients / elapsed : 0;
      progress(`measuring ${s}/${window.seconds} s · ${clients} bots · wire ↓ ${Math.round(wire)} B/client/s · load ${loadavg()[0]?.toFixed(2)}`);
      await sleep(1000);
    }
    fleet.measuring = false;
    const after = { usage: groupUsage(server.pid), relay: { ...relay.counts }, received: fleet.received(), bench: process.cpuUsage(before.bench), load: loadavg()[0] ?? 0, at: performance.now() };
    await profiled();
    // Inputs stop first: an overloaded room answers RPCs only after the messages queued before them.
    fleet.stopInputs();
    const roomsAfter = await Promise.all(roomIds.map((id) => roomStats(server.url, id)));
    const roomSeconds = (performance.now() - roomsAt) / 1000;
    progress("collecting the last acks");
    // Inputs sent at the end of the window are acknowledged a tick or two later.
    await sleep(500);

    if (roomsAfter.some((room, i) => room.stats.ticks < (roomsBefore[i]?.stats.ticks ?? 0))) throw new Reloaded("a room restarted during the window (wrangler rebuilt the worker)");
    const seconds = (after.at - before.at) / 1000;
    const perClientSec = (bytes: number): number => round(bytes / clients / seconds);
    // The rooms' counters span from the first reading to the second, which an overloaded room answers late.
    const rooms = roomCounters(roomsBefore, roomsAfter, roomSeconds);
    const serverCpuPerSec = (after.usage.cpuSeconds - before.usage.cpuSeconds) / seconds;
    const [first] = relay.handshakes;
    return {
      config: `${config.name}@${host}`,
      host,
      players: config.players,
      rooms: config.rooms,
      preset: config.preset,
      bots: config.bots,
      seconds: round(seconds),
      downBytesPerClientSec: perClientSec(after.received.bytes - before.received.bytes),
      wireDownBytesPerClientSec: perClientSec(after.relay.down - before.relay.down),
      upBytesPerClientSec: perClientSec(fleet.upBytes),
      wireUpBytesPerClientSec: perClientSec(after.relay.up - before.relay.up),
      messagesDownPerClientSec: perClientSec(after.received.messages - before.received.messages),
      deflate: {
        offered: first?.offered ?? null,
        accepted: first?.accepted ?? null,
        allSockets: relay.handshakes.length === clients && relay.handshakes.every((h) => h.accepted === first?.accepted),
      },
      ackLatencyMs: percentiles(fleet.ackLatencies),
      storedAckLatencyMs: percentiles(fleet.storedLatencies),
      tickIntervalMs: { p50: percentile(fleet.tickGaps, 50), p99: percentile(fleet.tickGaps, 99), samples: fleet.tickGaps.length },
      serverCpuPerSec: round(serverCpuPerSec, 3),
      serverCpuMsPerTick: rooms.ticks > 0 ? round((serverCpuPerSec * roomSeconds * 1000) / rooms.ticks, 3) : 0,
      serverRssMb: round(after.usage.rssBytes / 2 ** 20, 1),
      serverCpuByProcess: byName(cpuSince(before.usage, after.usage), (p) => p.cpuSeconds / seconds),
      serverRssMbByProcess: byName(after.usage.processes, (p) => p.rssBytes / 2 ** 20),
      tickOverruns: rooms.overruns,
      ticksPerRoomSec: round(rooms.ticks / config.rooms / roomSeconds),
      perRoomHour: rooms.perRoomHour,
      rowsWrittenPerTick: rooms.ticks > 0 ? round(rooms.rows / rooms.ticks, 3) : null,
      resyncs: fleet.bots.reduce((sum, bot) => sum + bot.gaps, 0),
      errors: fleet.bots.reduce((sum, bot) => sum + bot.errors.length, 0),
      benchCpuPerSec: round((after.bench.user + after.bench.system) / 1e6 / seconds, 3),
      loadAverage: { start: before.load, end: after.load },
    };
  } finally {
    fleet.close();
    await relay?.close();
    await server.close();
  }
}

/** GET /api/rooms/:id with a long timeout: an overloaded room answers late, and its figures are still wanted. */
async function roomStats(url: string, roomId: string): Promise<RoomInfo> {
  const response = await fetch(`${url}/api/rooms/${roomId}`, { signal: AbortSignal.timeout(120_000) });
  if (!response.ok) throw new Error(`GET /api/rooms/${roomId}: ${response.status} ${await response.text()}`);
  return (await response.json()) as RoomInfo;
}

async function create(url: string, preset: string): Promise<string> {
  try {
    return await createRoom(url, "arena", preset);
  } catch (error) {
    if (String(error).includes("unknown_preset")) throw new PresetMissing(`src/games/arena.ts has no "${preset}" preset`);
    throw error;
  }
}

/** The rooms' own counters over the window: cost per room-hour, ticks, and ticks that missed their slot. */
function roomCounters(before: readonly RoomInfo[], after: readonly RoomInfo[], seconds: number) {
  const sum = { alarms: 0, ticks: 0, rows: 0, messagesIn: 0, messagesOut: 0, overruns: 0 };
  before.forEach((start, i) => {
    const end = after[i]?.stats ?? start.stats;
    const ticks = end.ticks - start.stats.ticks;
    const alarms = end.alarms - start.stats.alarms;
    sum.alarms += alarms;
    sum.ticks += ticks;
    sum.rows += end.rowsWritten - start.stats.rowsWritten;
    sum.messagesIn += end.messagesIn - start.stats.messagesIn;
    sum.messagesOut += end.messagesOut - start.stats.messagesOut;
    // The window's edges fall anywhere inside a period, so one tick short is not a drop.
    const dropped = Math.max(0, Math.floor(seconds * TICK_HZ) - ticks - 1);
    // A wake is an alarm or the tick timer (the alarm is only a watchdog while the timer ticks).
    sum.overruns += Math.max(0, ticks - alarms - (end.timerWakes - start.stats.timerWakes)) + dropped;
  });
  const perRoomHour = (n: number): number => Math.round((n / before.length / seconds) * HOUR_SECONDS);
  return {
    ticks: sum.ticks,
    rows: sum.rows,
    overruns: sum.overruns,
    perRoomHour: { alarms: perRoomHour(sum.alarms), rowsWritten: perRoomHour(sum.rows), messagesIn: perRoomHour(sum.messagesIn), messagesOut: perRoomHour(sum.messagesOut) },
  };
}
