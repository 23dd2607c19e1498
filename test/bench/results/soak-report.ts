// The soak bench's reporter (runs in Node): collects each scenario's result, prices a room-hour, writes JSON, markdown and an SVG curve.
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import type { Sample, ScenarioResult } from "../../soak/results.ts";
import { soakChart } from "./soak-chart.ts";

/** Cloudflare's Durable Objects list prices (Workers Paid, before the monthly allowances), as in docs/bench.md. */
const PRICE = { requestPerM: 0.15, rowWrittenPerM: 1.0, gbSecondPerM: 12.5, gb: 0.125, messagesPerRequest: 20 } as const;

export interface HourCost {
  readonly alarms: number;
  readonly messages: number;
  readonly requests: number;
  readonly rows: number;
  readonly rowsPerTick: number | null;
  /** Rows per tick once the replay log reached its bound (maxReplaySteps). */
  readonly rowsPerTickAfterBound: number | null;
  readonly requestsUsd: number;
  readonly rowsUsd: number;
  readonly durationUsd: number;
  readonly totalUsd: number;
}

export function hourCost(result: ScenarioResult): HourCost {
  const scale = 3600 / result.simulatedSeconds;
  const alarms = result.alarms * scale;
  const messages = (result.messagesIn + result.heartbeats) * scale;
  const requests = alarms + messages / PRICE.messagesPerRequest;
  const rows = result.rowsWritten * scale;
  // A ticking room never hibernates; one that only timers wake is billed only while a handler runs (milliseconds).
  const durationUsd = result.tickedAllHour ? (3600 * PRICE.gb * PRICE.gbSecondPerM) / 1e6 : 0;
  const requestsUsd = (requests * PRICE.requestPerM) / 1e6;
  const rowsUsd = (rows * PRICE.rowWrittenPerM) / 1e6;
  return { alarms, messages, requests, rows, rowsPerTick: result.ticks > 0 ? result.rowsWritten / result.ticks : null, rowsPerTickAfterBound: afterBound(result.samples, result.replayLogBound), requestsUsd, rowsUsd, durationUsd, totalUsd: requestsUsd + rowsUsd + durationUsd };
}

/** Rows per tick from twice the log's bound on: by then the log has surely stopped growing. */
function afterBound(samples: readonly Sample[], bound: number): number | null {
  const from = samples.find((s) => s.tick >= bound * 2);
  const to = samples.at(-1);
  return from && to && to.tick > from.tick ? (to.rowsWritten - from.rowsWritten) / (to.tick - from.tick) : null;
}

const DIR = join("test-results", "soak");

const n = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const usd = (value: number) => `$${value.toFixed(4)}`;

function machine(): string {
  const cpu = cpus();
  const commit = (() => {
    try {
      return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    } catch {
      return "unknown";
    }
  })();
  return `${cpu.length} vCPUs (${cpu[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}, commit ${commit}`;
}

export function markdown(results: readonly ScenarioResult[], when: string, load: readonly number[]): string {
  const lines = [
    `Measured ${when} on ${machine()}; 1-minute load average ${load.map((l) => l.toFixed(1)).join(" → ")}.`,
    "",
    "| room (per room-hour) | simulated | wall s | ticks | alarms | rows written | rows/tick (after the log's bound) | messages in (+ heartbeats) | requests $ | rows $ | duration $ | **$ / room-hour** |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of results) {
    const c = hourCost(r);
    const perTick = c.rowsPerTick === null ? "–" : `${c.rowsPerTick.toFixed(3)} (${c.rowsPerTickAfterBound?.toFixed(3) ?? "–"})`;
    lines.push(
      `| ${r.name}: ${r.description} | ${n(r.simulatedSeconds)} s | ${n(r.wallSeconds)} | ${n(r.ticks)} | ${n(c.alarms)} | ${n(c.rows)} | ${perTick} | ${n(r.messagesIn)} (+ ${n(r.heartbeats)}) | ${usd(c.requestsUsd)} | ${usd(c.rowsUsd)} | ${usd(c.durationUsd)} | **${usd(c.totalUsd)}** |`,
    );
  }
  const churn = results.find((r) => r.name === "churn");
  if (churn) {
    lines.push("", "The churn soak's curve (every 5 simulated minutes; every 30 s in the JSON and the SVG):", "", "| minute | tick | seated | stored rows | stored bytes | record bytes | rows written | alarms |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const s of churn.samples.filter((s) => s.second % 300 === 0 || s === churn.samples.at(-1))) {
      lines.push(`| ${n(s.second / 60, 1)} | ${n(s.tick)} | ${s.seated} | ${n(s.storedRows)} | ${n(s.storedBytes)} | ${n(s.recordBytes)} | ${n(s.rowsWritten)} | ${n(s.alarms)} |`);
    }
    const after = churn.samples.filter((s) => s.tick >= churn.replayLogBound * 2);
    const range = (f: (s: Sample) => number) => `${n(Math.min(...after.map(f)))}–${n(Math.max(...after.map(f)))}`;
    if (after.length > 0) lines.push("", `From tick ${n(churn.replayLogBound * 2)} on: stored rows ${range((s) => s.storedRows)}, stored bytes ${range((s) => s.storedBytes)}, record bytes ${range((s) => s.recordBytes)}.`);
    if (churn.churn) lines.push(`Churn: ${Object.entries(churn.churn).map(([k, v]) => `${v} ${k}`).join(", ")}.`);
  }
  return lines.join("\n");
}

export class SoakReporter implements Reporter {
  readonly #results: ScenarioResult[] = [];
  readonly #load = [loadavg()[0] ?? 0];
  readonly #started = new Date();

  get #stamp(): string {
    return this.#started.toISOString().replace(/[:.]/g, "-");
  }

  onTestCaseResult(testCase: TestCase): void {
    const soak = (testCase.meta() as { soak?: ScenarioResult }).soak;
    if (!soak) return;
    this.#results.push(soak);
    // Each scenario as it ends, so a run stopped halfway keeps what it measured.
    mkdirSync(DIR, { recursive: true });
    appendFileSync(join(DIR, `${this.#stamp}.partial.jsonl`), `${JSON.stringify(soak)}\n`);
    process.stdout.write(`soak: ${soak.name} done in ${Math.round(soak.wallSeconds)} s: ${JSON.stringify(hourCost(soak))}\n`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    if (this.#results.length === 0) return;
    const order = ["churn", "moving", "idle", "spectators", "abandoned"];
    const results = [...this.#results].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    this.#load.push(loadavg()[0] ?? 0);
    const stamp = this.#stamp;
    const dir = DIR;
    mkdirSync(dir, { recursive: true });
    const when = `${this.#started.toISOString().slice(0, 16).replace("T", " ")} UTC`;
    const table = markdown(results, when, this.#load);
    writeFileSync(join(dir, `${stamp}.json`), JSON.stringify({ when, machine: machine(), load: this.#load, results: results.map((r) => ({ ...r, perHour: hourCost(r) })) }, null, 2));
    writeFileSync(join(dir, `${stamp}.md`), `${table}\n`);
    const churn = results.find((r) => r.name === "churn");
    if (churn) writeFileSync(join(dir, `${stamp}.svg`), soakChart(churn.samples, churn.replayLogBound));
    process.stdout.write(`\n${table}\n\nwritten to ${dir}/${stamp}.{json,md${churn ? ",svg" : ""}}\n`);
  }
}
