// Benchmark: hostile sockets next to honest players on wrangler dev. Prints how the honest players fare.
import { RoomClient } from "../../client/sdk/room-client.ts";
import type { arena } from "../../src/games/arena.ts";
import { Bot, createRoom, join, sleep, TempServer } from "../e2e/dev-server.ts";
import { RawSocket } from "../e2e/raw-socket.ts";

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

let server: TempServer | undefined;
setTimeout(() => {
  console.error("bench: hard timeout");
  server?.current.kill("SIGKILL");
  process.exit(2);
}, 120_000).unref();
try {
  server = await TempServer.start();
  const report = { nominalTickMs: 50, malformed: await malformed(server.url), flood: await flood(server.url) };
  console.log(JSON.stringify(report, null, 2));
  if (server.current.log().includes("Uncaught")) console.error("the server log has Uncaught lines");
} finally {
  await server?.close();
}
