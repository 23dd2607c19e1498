// `npm run bench:cpu`: samples the room's JavaScript through wrangler's inspector while bots play; prints where the room spends its time.
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join as joinPath } from "node:path";
import { parseArgs } from "node:util";
import { createRoom, join, sleep, TempServer } from "../e2e/kit/dev-server.ts";
import { Fleet } from "./clients/fleet.ts";
import { LeanBot } from "./clients/lean-bot.ts";
import { groupUsage } from "./servers/process-group.ts";
import { round } from "./results/stats.ts";

const { values } = parseArgs({ options: {
  players: { type: "string", default: "16" },
  rooms: { type: "string", default: "1" },
  preset: { type: "string", default: "bench" },
  seconds: { type: "string", default: "10" },
  out: { type: "string", default: "test-results/bench" },
} });
const players = Number(values.players);
const rooms = Number(values.rooms);
const seconds = Number(values.seconds);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A minimal Chrome DevTools Protocol client: one request at a time is all this needs. */
async function devtools(wsUrl: string) {
  // wrangler's inspector proxy refuses a client with a User-Agent but no local Origin (Node's WebSocket sends one, undici's headers option adds the other).
  const socket = new WebSocket(wsUrl, { headers: { origin: "http://localhost" } });
  await new Promise((resolve, reject) => (socket.addEventListener("open", resolve), socket.addEventListener("error", reject)));
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (event: MessageEvent) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  return {
    call: <T>(method: string, params: Record<string, unknown> = {}): Promise<T> =>
      new Promise<T>((resolve) => {
        id += 1;
        waiting.set(id, (result) => resolve(result as T));
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

/** wrangler was started with --inspector-port; read it back from its command line. */
function inspectorPort(pid: number): number {
  const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  return Number(args[args.indexOf("--inspector-port") + 1]);
}

/** Self time per function (name, file, line), largest first, as shares of all samples. */
function selfTimes(profile: Profile): { fn: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((nodeId, i) => {
    const frame = byId.get(nodeId)?.callFrame;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const file = frame?.url.split("/").slice(-2).join("/") ?? "";
    const key = `${frame?.functionName || "(anonymous)"} ${file}:${(frame?.lineNumber ?? 0) + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self].sort((a, b) => b[1] - a[1]).map(([fn, ms]) => ({ fn, ms: round(ms), share: round(ms / total, 3) }));
}

let server: TempServer | undefined;
setTimeout(() => {
  console.error("bench:cpu: hard timeout");
  server?.current.kill("SIGKILL");
  process.exit(2);
}, 120_000 + players * rooms * 250 + seconds * 1000).unref();
const fleet = new Fleet();
try {
  server = await TempServer.start();
  const url = server.url;
  const roomIds = await Promise.all(Array.from({ length: rooms }, () => createRoom(url, "arena", values.preset)));
  await Promise.all(roomIds.map(async (roomId) => {
    for (let i = 0; i < players; i++) fleet.add(await LeanBot.connect(await join(url, roomId, `bot${i}`)));
  }));
  fleet.start();
  await sleep(3000);
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort(server.current.pid)}/json`)).json()) as { webSocketDebuggerUrl: string; title: string }[];
  const target = targets[0];
  if (!target) throw new Error("the inspector lists no worker");
  const inspector = await devtools(target.webSocketDebuggerUrl);
  await inspector.call("Profiler.enable");
  await inspector.call("Profiler.setSamplingInterval", { interval: 200 });
  const before = groupUsage(server.current.pid);
  await inspector.call("Profiler.start");
  await sleep(seconds * 1000);
  const { profile } = await inspector.call<{ profile: Profile }>("Profiler.stop");
  const after = groupUsage(server.current.pid);
  inspector.close();
  const sampledMs = profile.timeDeltas.reduce((a, b) => a + b, 0) / 1000;
  const idle = selfTimes(profile).filter((f) => f.fn.startsWith("(idle)")).reduce((sum, f) => sum + f.ms, 0);
  const report = {
    players,
    rooms,
    preset: values.preset,
    seconds,
    target: target.title,
    serverCpuPerSec: round((after.cpuSeconds - before.cpuSeconds) / seconds, 3),
    /** Time the isolate's JavaScript thread was busy, per wall second (what the profile can see). */
    jsBusyPerSec: round((sampledMs - idle) / 1000 / seconds, 3),
    top: selfTimes(profile).slice(0, 40),
  };
  await mkdir(values.out, { recursive: true });
  const file = joinPath(values.out, `cpu-${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}`);
  await writeFile(`${file}.cpuprofile`, JSON.stringify(profile));
  await writeFile(`${file}.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
  console.log(`written: ${file}.json and .cpuprofile (open it in Chrome DevTools)`);
} finally {
  fleet.close();
  await server?.close();
}
