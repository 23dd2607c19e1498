// Benchmark: 16 bots play one bench-preset arena room on a local `wrangler dev`; prints latency, bandwidth and storage cost.
import { Bot, createRoom, join, roomInfo, sleep, TempServer } from "../e2e/dev-server.ts";

const CLIENTS = 16;
const INPUT_EVERY_MS = 50;
const TURN_EVERY_MS = 1000;
const WARMUP_MS = 2000;
const MEASURE_MS = 10_000;
const HARD_TIMEOUT_MS = 60_000;

let server: TempServer | undefined;
// Whatever hangs, the server group dies and the script exits; unref so a normal run is not held open.
setTimeout(() => {
  console.error("bench: hard timeout");
  server?.current.kill("SIGKILL");
  process.exit(2);
}, HARD_TIMEOUT_MS).unref();

const percentile = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
};
const round = (n: number): number => Math.round(n * 100) / 100;
const direction = (): number => [-1, -0.5, 0, 0.5, 1][Math.floor(Math.random() * 5)] ?? 0;

const bots: Bot[] = [];
const timers: NodeJS.Timeout[] = [];
try {
  server = await TempServer.start();
  const { url } = server;
  const roomId = await createRoom(url, "arena", "bench");
  for (let i = 0; i < CLIENTS; i++) bots.push(await Bot.connect(await join(url, roomId, `bot${i}`)));

  let measuring = false;
  const tickGaps: number[] = [];
  const ackLatencies: number[] = [];
  let measuredInputs = 0;
  for (const bot of bots) {
    const sentAt = new Map<number, { at: number; measured: boolean }>();
    let lastVersion = bot.version;
    let lastAdvanceAt = 0;
    bot.onAdvance = () => {
      const now = performance.now();
      if (bot.version <= lastVersion) return;
      if (measuring && lastAdvanceAt > 0) tickGaps.push(now - lastAdvanceAt);
      lastVersion = bot.version;
      lastAdvanceAt = now;
      for (const [seq, sent] of sentAt) {
        if (seq > bot.lastInput) continue;
        if (sent.measured) ackLatencies.push(now - sent.at);
        sentAt.delete(seq);
      }
    };
    let dx = direction();
    let dy = direction();
    let turnedAt = performance.now();
    const send = (): void => {
      if (performance.now() - turnedAt >= TURN_EVERY_MS) [dx, dy, turnedAt] = [direction(), direction(), performance.now()];
      const seq = bot.input(dx, dy);
      if (seq === 0) return;
      sentAt.set(seq, { at: performance.now(), measured: measuring });
      if (measuring) measuredInputs += 1;
    };
    // Staggered so the room sees a steady stream rather than 16 inputs in one burst.
    const offset = (bots.indexOf(bot) * INPUT_EVERY_MS) / CLIENTS;
    timers.push(setTimeout(() => timers.push(setInterval(send, INPUT_EVERY_MS)), offset));
  }

  await sleep(WARMUP_MS);
  const start = await roomInfo(url, roomId);
  const startCounts = bots.map((bot) => ({ bytes: bot.bytes, messages: bot.messages }));
  const startedAt = performance.now();
  measuring = true;
  await sleep(MEASURE_MS);
  measuring = false;
  const seconds = (performance.now() - startedAt) / 1000;
  const end = await roomInfo(url, roomId);
  const bytes = bots.reduce((sum, bot, i) => sum + bot.bytes - (startCounts[i]?.bytes ?? 0), 0);
  const messages = bots.reduce((sum, bot, i) => sum + bot.messages - (startCounts[i]?.messages ?? 0), 0);
  for (const timer of timers) clearInterval(timer);
  // Let the inputs sent last in the window come back before reading their latency.
  await sleep(500);

  const rows = end.stats.rowsWritten - start.stats.rowsWritten;
  const ticks = end.stats.ticks - start.stats.ticks;
  console.log(JSON.stringify({
    clients: CLIENTS,
    seconds: round(seconds),
    tickIntervalMs: { p50: percentile(tickGaps, 50), p99: percentile(tickGaps, 99), samples: tickGaps.length },
    ackLatencyMs: { p50: percentile(ackLatencies, 50), p95: percentile(ackLatencies, 95), p99: percentile(ackLatencies, 99), samples: ackLatencies.length, inputsSent: measuredInputs },
    downstreamBytesPerClientPerSecond: round(bytes / CLIENTS / seconds),
    messagesPerClientPerSecond: round(messages / CLIENTS / seconds),
    rowsWrittenPerRoomHour: Math.round((rows / seconds) * 3600),
    ticks,
    rowsWrittenPerTick: ticks > 0 ? round(rows / ticks) : null,
    resyncs: bots.reduce((sum, bot) => sum + bot.gaps, 0),
    errors: bots.reduce((sum, bot) => sum + bot.errors.length, 0),
  }, null, 2));
  const uncaught = server.current.log().split("\n").filter((line) => line.includes("Uncaught"));
  if (uncaught.length > 0) console.error(`server log has ${uncaught.length} "Uncaught" lines:\n${uncaught.join("\n")}`);
} finally {
  for (const timer of timers) clearInterval(timer);
  for (const bot of bots) bot.close();
  await server?.close();
}
