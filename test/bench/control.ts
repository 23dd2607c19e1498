// The floor lines, on bare workerd: the same sockets and inputs against an object that only counts them (control), that also sends each socket an arena-sized update per tick (floor), or that also stores the inputs (durable).
import { loadavg } from "node:os";
import { payloadBytes, sleep } from "../e2e/kit/dev-server.ts";
import type { Figures } from "./results/figures.ts";
import { startHost, type Host } from "./servers/hosts.ts";
import type { Configuration, ControlHost } from "./options.ts";
import { byName, cpuSince, groupUsage } from "./servers/process-group.ts";
import { profileWindow } from "./servers/perf.ts";
import { Relay } from "./clients/relay.ts";
import type { Progress, Window } from "./run-configuration.ts";
import { round } from "./results/stats.ts";
import { direction } from "./clients/fleet.ts";

const HOUR_SECONDS = 3600;
const none = { p50: null, p95: null, p99: null, samples: 0 };

const QUERY: Record<ControlHost, string> = { control: "", floor: "?send", durable: "?send&store" };

/** `floor`: the object also sends what the template sends (one update per socket per tick), so the line is the runtime's cost of the traffic both ways. */
export async function runControl(config: Configuration, host: ControlHost, window: Window, progress: Progress, started: (server: Host) => void): Promise<Figures> {
  progress(`starting the ${host} on bare workerd`);
  const server = await startHost("control", window.perfDir !== undefined);
  started(server);
  let relay: Relay | undefined;
  const sockets: WebSocket[] = [];
  const timers: ReturnType<typeof setInterval>[] = [];
  const starts: ReturnType<typeof setTimeout>[] = [];
  try {
    relay = await Relay.start(Number(new URL(server.url).port));
    const rooms = Array.from({ length: config.rooms }, (_, i) => `control-${i}`);
    for (const room of rooms) {
      for (let i = 0; i < config.players; i++) {
        const socket = new WebSocket(`ws://127.0.0.1:${relay.port}/rooms/${room}/ws${QUERY[host]}`);
        socket.binaryType = "arraybuffer";
        await new Promise<void>((resolve, reject) => {
          socket.addEventListener("open", () => resolve(), { once: true });
          socket.addEventListener("error", () => reject(new Error("a control socket failed to open")), { once: true });
        });
        sockets.push(socket);
        progress(`connecting ${sockets.length}/${config.players * config.rooms} sockets`);
      }
    }
    // The scenario's bots: an input every 50 ms (the timers spread over the period), a new direction every second.
    let upBytes = 0;
    let downBytes = 0;
    let downMessages = 0;
    let measuring = false;
    for (const socket of sockets) {
      socket.addEventListener("message", (event: MessageEvent) => {
        if (!measuring) return;
        downBytes += payloadBytes(event.data as string | ArrayBuffer);
        downMessages += 1;
      });
    }
    sockets.forEach((socket, i) => {
      let seq = 0;
      let dx = 0;
      let dy = 0;
      starts.push(setTimeout(() => {
        timers.push(setInterval(() => {
          if (seq % 20 === 0) ({ dx, dy } = direction());
          seq += 1;
          const text = JSON.stringify({ type: "action", seq, action: "input", payload: { dx, dy } });
          if (socket.readyState !== WebSocket.OPEN) return;
          socket.send(text);
          if (measuring) upBytes += Buffer.byteLength(text);
        }, 50));
      }, (50 * i) / sockets.length));
    });
    for (let s = 0; s < window.warmupSeconds; s++) {
      progress(`warming up ${s}/${window.warmupSeconds} s`);
      await sleep(1000);
    }
    type Counts = { messages: number; sent: number };
    const count = async (): Promise<Counts> =>
      (await Promise.all(rooms.map(async (room) => (await (await fetch(`${server.url}/rooms/${room}/count`)).json()) as Counts))).reduce((a, b) => ({ messages: a.messages + b.messages, sent: a.sent + b.sent }), { messages: 0, sent: 0 });
    const countedBefore = await count();
    const before = { usage: groupUsage(server.pid), relay: { ...relay.counts }, bench: process.cpuUsage(), load: loadavg()[0] ?? 0, at: performance.now() };
    measuring = true;
    const profiled = profileWindow(window.perfDir, server.pid, window.seconds, `${config.name}@${host}`);
    for (let s = 0; s < window.seconds; s++) {
      progress(`measuring ${s}/${window.seconds} s · ${sockets.length} sockets · load ${loadavg()[0]?.toFixed(2)}`);
      await sleep(1000);
    }
    measuring = false;
    const after = { usage: groupUsage(server.pid), relay: { ...relay.counts }, bench: process.cpuUsage(before.bench), load: loadavg()[0] ?? 0, at: performance.now() };
    await profiled();
    const countedAfter = await count();
    const counted = { messages: countedAfter.messages - countedBefore.messages, sent: countedAfter.sent - countedBefore.sent };
    const seconds = (after.at - before.at) / 1000;
    const perClientSec = (bytes: number): number => round(bytes / sockets.length / seconds);
    const serverCpuPerSec = (after.usage.cpuSeconds - before.usage.cpuSeconds) / seconds;
    return {
      config: `${config.name}@${host}`,
      host,
      players: config.players,
      rooms: config.rooms,
      preset: "none",
      bots: "lean",
      seconds: round(seconds),
      downBytesPerClientSec: perClientSec(downBytes),
      wireDownBytesPerClientSec: perClientSec(after.relay.down - before.relay.down),
      upBytesPerClientSec: perClientSec(upBytes),
      wireUpBytesPerClientSec: perClientSec(after.relay.up - before.relay.up),
      messagesDownPerClientSec: perClientSec(downMessages),
      deflate: { offered: relay.handshakes[0]?.offered ?? null, accepted: relay.handshakes[0]?.accepted ?? null, allSockets: true },
      ackLatencyMs: none,
      storedAckLatencyMs: none,
      tickIntervalMs: none,
      serverCpuPerSec: round(serverCpuPerSec, 3),
      serverCpuMsPerTick: 0,
      serverRssMb: round(after.usage.rssBytes / 2 ** 20, 1),
      serverCpuByProcess: byName(cpuSince(before.usage, after.usage), (p) => p.cpuSeconds / seconds),
      serverRssMbByProcess: byName(after.usage.processes, (p) => p.rssBytes / 2 ** 20),
      tickOverruns: 0,
      ticksPerRoomSec: 0,
      // The messages the objects counted in the window: what the floor's CPU was spent on.
      perRoomHour: { alarms: 0, rowsWritten: 0, messagesIn: Math.round((counted.messages / rooms.length / seconds) * HOUR_SECONDS), messagesOut: Math.round((counted.sent / rooms.length / seconds) * HOUR_SECONDS) },
      rowsWrittenPerTick: null,
      resyncs: 0,
      errors: 0,
      benchCpuPerSec: round((after.bench.user + after.bench.system) / 1e6 / seconds, 3),
      loadAverage: { start: before.load, end: after.load },
    };
  } finally {
    for (const start of starts) clearTimeout(start);
    for (const timer of timers) clearInterval(timer);
    for (const socket of sockets) socket.close();
    await relay?.close();
    await server.close();
  }
}
