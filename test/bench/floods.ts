// Benchmark: hostile sockets next to honest players on wrangler dev. Prints how the honest players fare.
import { RoomClient } from "../../client/sdk/room-client.ts";
import type { arena } from "../../src/games/arena.ts";
import { Bot, createRoom, join, sleep, TempServer } from "../e2e/kit/dev-server.ts";
import { RawSocket } from "../e2e/kit/raw-socket.ts";
import { LeanBot } from "./clients/lean-bot.ts";

const text = (body: string) => ({ opcode: 1, payload: Buffer.from(body) });

/** Twelve kinds of bad frame; each must earn exactly one typed error. */
const kinds: ((i: number) => { opcode: number; payload: Buffer })[] = [
  () => text("{nope"),
  (i) => text(String(i)),
  () => text('{"type":"teleport"}'),
  () => text('{"type":"action","action":"input"}'),
  (i) => text(`{"type":"action","seq":"${i}","action":"input","payload":{}}`),
  (i) => text(`{"type":"action","seq":${i},"action":"input","payload":{"dx":0,"dy":0},"playerId":"x","team":"blue"}`),
  (i) => text(`{"type":"action","seq":${i},"action":"input","payload":{"dx":1e999,"dy":0}}`),
  (i) => text(`{"type":"action","seq":${i},"action":"input","payload":{"dx":0,"dy":0,"s":"${"x".repeat(5000)}"}}`),
  () => text(`${"[".repeat(1000)}${"]".repeat(1000)}`),
  (i) => text(`{"type":"action","seq":${i},"action":"input","payload":{"__proto__":{"dx":0},"constructor":1}}`),
  () => ({ opcode: 2, payload: Buffer.from([1, 2, 3]) }),
  () => ({ opcode: 1, payload: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]) }),
];

/** Intervals between the honest bots' view updates, pooled: the tick as players feel it. */
function watchTicks(bots: Bot[]): () => number {
  const gaps: number[] = [];
  for (const bot of bots) {
    let last = 0;
    bot.onAdvance = () => {
      const now = performance.now();
      if (last > 0) gaps.push(now - last);
      last = now;
    };
  }
  return () => {
    const sorted = [...gaps].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length * 0.99)] ?? Infinity;
  };
}

/** Errors the honest bots received, counted by code (an action's refusal carries its seq): there should be none. */
const honestErrors = (bots: Bot[]) => {
  const counts: Record<string, number> = {};
  for (const error of bots.flatMap((bot) => bot.errors)) {
    const key = error.seq === undefined ? error.code : `${error.code} (action)`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

/** 10 sockets send 120 malformed frames each (12 kinds, 20 a second) while 4 honest bots play. */
async function malformed(url: string) {
  const roomId = await createRoom(url, "arena", "bench");
  const honest: Bot[] = [];
  for (let i = 0; i < 4; i++) honest.push(await Bot.connect(await join(url, roomId, `honest${i}`)));
  const hostile: RawSocket[] = [];
  for (let i = 0; i < 10; i++) hostile.push(await RawSocket.open((await join(url, roomId, `hostile${i}`)).wsUrl));
  await sleep(500);
  const p99 = watchTicks(honest);
  const timer = setInterval(() => honest.forEach((bot) => bot.input(Math.random() * 2 - 1, Math.random() * 2 - 1)), 50);
  for (let round = 0; round < 120; round++) {
    hostile.forEach((socket, s) => {
      const frame = (kinds[(round + s) % kinds.length] ?? kinds[0])?.(round + 1);
      if (frame) socket.send(frame.opcode, frame.payload);
    });
    await sleep(50);
  }
  await sleep(1000);
  clearInterval(timer);
  const errors = hostile.map((socket) => socket.texts.filter((t) => (JSON.parse(t) as { type: string }).type === "error").length);
  const result = {
    framesSent: hostile.length * 120,
    typedErrors: errors.reduce((a, b) => a + b, 0),
    hostileClosed: hostile.filter((socket) => socket.closed).length,
    honestTickP99Ms: Math.round(p99() * 10) / 10,
    honestErrors: honestErrors(honest),
    honestGaps: honest.reduce((sum, bot) => sum + bot.gaps, 0),
  };
  for (const socket of hostile) socket.close();
  for (const bot of honest) bot.close();
  return result;
}

/** One socket sends valid actions at 10,000 a second for 10 s (or until it is closed) while 4 honest bots play. */
async function flood(url: string) {
  const roomId = await createRoom(url, "arena", "bench");
  const honest: Bot[] = [];
  for (let i = 0; i < 4; i++) honest.push(await Bot.connect(await join(url, roomId, `honest${i}`)));
  const flooderSocket = new WebSocket((await join(url, roomId, "flooder")).wsUrl);
  const flooder = new RoomClient<typeof arena>(flooderSocket);
  let closedWith = 0;
  flooderSocket.addEventListener("close", (event) => (closedWith = event.code));
  for (let i = 0; i < 100 && !flooder.welcome; i++) await sleep(20);
  await sleep(300);
  const p99 = watchTicks(honest);
  const timer = setInterval(() => honest.forEach((bot) => bot.input(Math.random() * 2 - 1, Math.random() * 2 - 1)), 50);
  let sent = 0;
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    for (let i = 0; i < 100 && flooderSocket.readyState === WebSocket.OPEN; i++) {
      sent += 1;
      flooderSocket.send(`{"type":"action","seq":${sent},"action":"input","payload":{"dx":1,"dy":1}}`);
    }
    await sleep(10);
  }
  clearInterval(timer);
  const result = { flooderSent: sent, flooderClosedWith: closedWith, honestTickP99Ms: Math.round(p99() * 10) / 10, honestErrors: honestErrors(honest), honestGaps: honest.reduce((sum, bot) => sum + bot.gaps, 0) };
  for (const bot of honest) bot.close();
  return result;
}

/**
 * One socket asks for 100 resyncs a second for 10 s on the bench-static preset (10,000 obstacles in every
 * snapshot), next to an honest teammate and an honest opponent; run once with the abuser idle as the baseline.
 * Prints the snapshots that reached the abuser per second and the teammate's update rate in both runs.
 */
async function resyncs(url: string, abuse: boolean) {
  const roomId = await createRoom(url, "arena", "bench-static");
  const teammate = await LeanBot.connect(await join(url, roomId, "teammate"));
  const opponent = await LeanBot.connect(await join(url, roomId, "opponent"));
  const seat = await join(url, roomId, "abuser");
  if (seat.team !== teammate.seat.team) throw new Error("the abuser must share the teammate's team");
  const abuser = new WebSocket(seat.wsUrl);
  const started = { at: 0 };
  const snapshotsBySecond: number[] = [];
  const errors: Record<string, number> = {};
  let snapshotBytes = 0;
  let closedAt: number | undefined;
  let closedWith = 0;
  abuser.addEventListener("message", (event: MessageEvent) => {
    const text = String(event.data);
    if (text.startsWith('{"type":"snapshot"') && started.at > 0) {
      const second = Math.floor((performance.now() - started.at) / 1000);
      snapshotsBySecond[second] = (snapshotsBySecond[second] ?? 0) + 1;
      snapshotBytes += Buffer.byteLength(text);
    } else if (text.startsWith('{"type":"error"')) {
      const code = (JSON.parse(text) as { code: string }).code;
      errors[code] = (errors[code] ?? 0) + 1;
    }
  });
  abuser.addEventListener("close", (event: { code: number }) => {
    closedWith = event.code;
    closedAt = Math.round(performance.now() - started.at);
  });
  while (abuser.readyState === WebSocket.CONNECTING) await sleep(20);
  await sleep(1000);
  let updates = 0;
  teammate.onAdvance = () => (updates += 1);
  const steer = setInterval(() => [teammate, opponent].forEach((bot) => bot.input(Math.random() * 2 - 1, Math.random() * 2 - 1)), 50);
  started.at = performance.now();
  let sent = 0;
  // Paced by the clock, not by sleep(10), whose timer granularity would make it fewer than 100 a second.
  for (let elapsed = 0; elapsed < 10_000; elapsed = performance.now() - started.at) {
    while (abuse && abuser.readyState === WebSocket.OPEN && sent < Math.floor(elapsed / 10)) {
      abuser.send('{"type":"resync"}');
      sent += 1;
    }
    await sleep(5);
  }
  const seconds = (performance.now() - started.at) / 1000;
  clearInterval(steer);
  const result = {
    resyncsSent: sent,
    resyncsPerSecond: Math.round(sent / seconds),
    snapshotsPerSecondToAbuser: Array.from({ length: 10 }, (_, i) => snapshotsBySecond[i] ?? 0),
    snapshotMiB: Math.round((snapshotBytes / 1024 / 1024) * 100) / 100,
    abuserErrors: errors,
    abuserClosed: closedAt === undefined ? null : { code: closedWith, afterMs: closedAt },
    teammateUpdatesPerSecond: Math.round((updates / seconds) * 10) / 10,
    teammateGaps: teammate.gaps,
  };
  for (const socket of [teammate, opponent]) socket.close();
  abuser.close();
  return result;
}

let server: TempServer | undefined;
setTimeout(() => {
  console.error("bench: hard timeout");
  server?.current.kill("SIGKILL");
  process.exit(2);
}, 240_000).unref();
try {
  server = await TempServer.start();
  // Two pairs, interleaved, so the machine's own drift shows next to the abuser's effect.
  const pairs = [];
  for (let i = 0; i < 2; i++) pairs.push({ baseline: await resyncs(server.url, false), abused: await resyncs(server.url, true) });
  const resync = {
    pairs,
    teammateRateChangePercent: pairs.map(({ baseline, abused }) => Math.round((abused.teammateUpdatesPerSecond / baseline.teammateUpdatesPerSecond - 1) * 1000) / 10),
    mostSnapshotsInOneSecond: Math.max(...pairs.flatMap(({ abused }) => abused.snapshotsPerSecondToAbuser)),
  };
  const report = { nominalTickMs: 50, malformed: await malformed(server.url), flood: await flood(server.url), resync };
  console.log(JSON.stringify(report, null, 2));
  if (server.current.log().includes("Uncaught")) console.error("the server log has Uncaught lines");
} finally {
  await server?.close();
}
