// `npm run bench:netcode`: the demo arena in Chromium through a latency-injecting relay, with bots; prediction, reconciliation, smoothness.
import { deepStrictEqual } from "node:assert";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join as joinPath } from "node:path";
import { chromium, type Page } from "playwright-core";
import { viewFor } from "../../src/engine/updates/views.ts";
import type { MatchRecord } from "../../src/engine/match.ts";
import { arena, shownPlayer } from "../../src/games/arena.ts";
import { chromiumPath } from "../e2e/kit/browser.ts";
import { stopAll } from "../e2e/kit/cleanup.ts";
import { Bot, createRoom, join, sleep, TempServer } from "../e2e/kit/dev-server.ts";
import { collect, netcodeStats, samplesOf, setNetcode, SNAP_UNITS, type PageSamples } from "./clients/netcode-page.ts";
import { Relay, type Latency } from "./clients/relay.ts";
import { percentile } from "./results/stats.ts";

const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, "").split("=") as [string, string]));
const seconds = Number(args.get("seconds") ?? 60);
const BOTS = Number(args.get("bots") ?? 4);
/** 75 ms each way ±10 ms, and 1% of chunks held 200 ms more (issue 17). */
const latency: Latency = { oneWayMs: 75, jitterMs: 10, spikeChance: 0.01, spikeMs: 200, seed: 17 };
/** The whole run, setup included, is killed past this. */
const BOUND_MS = (seconds + 2 * Math.ceil(seconds / 3) + 180) * 1000;
const load = () => loadavg()[0]?.toFixed(2) ?? "?";

const bound = setTimeout(() => {
  console.error(`bench:netcode: exceeded ${BOUND_MS / 1000} s; stopping`);
  void stopAll().finally(() => process.exit(2));
}, BOUND_MS);

/** Bots wander: a new random heading every 400–900 ms, steering back toward the centre near an edge. */
function wander(bots: readonly Bot[]): () => void {
  const timers = bots.map((bot) => {
    let timer: ReturnType<typeof setTimeout>;
    const turn = () => {
      const me = bot.view && shownPlayer(bot.view, bot.seat.playerId);
      const angle = Math.random() * 2 * Math.PI;
      const home = me && (me.x < 150 || me.x > 850 || me.y < 150 || me.y > 850) ? Math.atan2(500 - me.y, 500 - me.x) : angle;
      bot.input(Math.round(Math.cos(home) * 100) / 100, Math.round(Math.sin(home) * 100) / 100);
      timer = setTimeout(turn, 400 + Math.random() * 500);
    };
    turn();
    return () => clearTimeout(timer);
  });
  return () => timers.forEach((stop) => stop());
}

/** Presses arrow keys: stand still 700 ms, hold one key 300 ms; left/right and up/down alternate so the dot stays near where it was. */
async function presses(page: Page, until: number): Promise<void> {
  const keys = ["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp"];
  for (let i = 0; Date.now() < until; i++) {
    await sleep(700);
    const key = keys[i % keys.length] as string;
    await page.keyboard.down(key);
    await sleep(300);
    await page.keyboard.up(key);
  }
}

interface Phase {
  readonly name: string;
  readonly predict: boolean;
  readonly interpolate: boolean;
  readonly seconds: number;
}

const summary = (values: readonly number[]) => ({ n: values.length, p50: percentile(values, 50), p99: percentile(values, 99) });

async function phase(page: Page, p: Phase) {
  await setNetcode(page, p.predict, p.interpolate);
  await sleep(1000);
  await collect(page);
  const loadStart = load();
  await presses(page, Date.now() + p.seconds * 1000);
  const samples: PageSamples = await samplesOf(page);
  const stats = await netcodeStats(page);
  return {
    phase: p.name,
    predict: p.predict,
    interpolate: p.interpolate,
    seconds: p.seconds,
    keyToDrawMs: summary(samples.keyToDrawMs),
    frameMs: Math.round(((p.seconds * 1000) / Math.max(1, samples.frames)) * 100) / 100,
    reconciliationError: summary(samples.errors),
    correctionSnaps: samples.correctionSnaps,
    visibleSnaps: samples.snaps,
    othersSpeedChange: summary(samples.speedChanges),
    delayMs: stats && Math.round(stats.delayMs),
    rttMs: stats && Math.round(stats.rttMs),
    load: `${loadStart}→${load()}`,
  };
}

/** The room's record from the dev inspector's report. */
async function serverRecord(url: string, roomId: string): Promise<MatchRecord> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/rooms/${roomId}/inspect`);
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no inspector report")), 10_000);
      ws.addEventListener("message", (event) => {
        const frame = JSON.parse(String(event.data)) as { type: string; record?: MatchRecord };
        if (frame.type !== "report" || !frame.record) return;
        clearTimeout(timer);
        resolve(frame.record);
      });
      ws.addEventListener("error", () => reject(new Error("inspector socket failed")));
    });
  } finally {
    ws.close(1000, "done");
  }
}

try {
  const [server, { path }] = await Promise.all([TempServer.start({ INSPECTOR: "on" }), chromiumPath()]);
  const relay = await Relay.start(Number(new URL(server.url).port), latency);
  const url = `http://127.0.0.1:${relay.port}`;
  // The bench preset: no fog (everyone in sight), no orbs, no pings.
  const roomId = await createRoom(url, "arena", "bench");
  const browser = await chromium.launch({ executablePath: path, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  const page = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`${url}/play/arena?room=${roomId}`);
  page.on("console", (message) => message.type() === "error" && pageErrors.push(message.text()));
  await page.waitForFunction(() => (globalThis as unknown as { demo?: { netcode?: unknown } }).demo?.netcode !== undefined, undefined, { timeout: 30_000 }).catch(async (error: unknown) => {
    throw new Error(`the arena never showed: screen ${await page.evaluate(() => (globalThis as unknown as { demo?: { screen: string } }).demo?.screen)}; page errors: ${pageErrors.join(" | ")}`, { cause: error });
  });
  const bots = await Promise.all(Array.from({ length: BOTS }, async (_, i) => Bot.connect(await join(url, roomId, `bot${i}`))));
  const stopBots = wander(bots);
  await sleep(3000);
  const started = new Date().toISOString();
  const third = Math.ceil(seconds / 3);
  const phases = [];
  for (const p of [
    { name: "prediction on, interpolation on", predict: true, interpolate: true, seconds },
    { name: "prediction off (own dot interpolated like the others)", predict: false, interpolate: true, seconds: third },
    { name: "prediction on, interpolation off", predict: true, interpolate: false, seconds: third },
  ]) {
    const result = await phase(page, p);
    console.error(JSON.stringify(result));
    phases.push(result);
  }
  // Everyone stops; once the last updates are in, every client's view must equal the server's for its audience.
  stopBots();
  for (const bot of bots) bot.input(0, 0);
  await sleep(2000);
  const record = await serverRecord(server.url, roomId);
  const pageView = await page.evaluate(() => {
    const session = (globalThis as unknown as { demo: { session: { view: unknown; team: string } } }).demo.session;
    return JSON.parse(JSON.stringify({ view: session.view, team: session.team })) as { view: unknown; team: string };
  });
  const checks: string[] = [];
  const check = (who: string, held: unknown, team: string) => {
    try {
      deepStrictEqual(held, JSON.parse(JSON.stringify(viewFor(arena, record as MatchRecord<never>, `team:${team}`))));
      checks.push(`${who}: equal`);
    } catch {
      checks.push(`${who}: DIFFERS`);
    }
  };
  check("browser", pageView.view, pageView.team);
  for (const bot of bots) check(bot.seat.playerId, bot.client.view, bot.seat.team);
  for (const bot of bots) bot.close();
  await browser.close();
  await relay.close();

  const result = { date: started, machine: { cpus: cpus().length, model: cpus()[0]?.model }, latency, bots: BOTS, snapUnits: SNAP_UNITS, phases, finalState: checks, pageErrors };
  const dir = joinPath("test-results", "bench");
  await mkdir(dir, { recursive: true });
  const file = joinPath(dir, `netcode-${started.slice(0, 19).replace(/:/g, "-")}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.log(`written: ${file}`);
  if (checks.some((c) => c.endsWith("DIFFERS")) || pageErrors.length > 0) process.exitCode = 1;
} finally {
  clearTimeout(bound);
  await stopAll();
}
