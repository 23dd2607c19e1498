// `npm run bench`: the arena scenario (shared/bench/arena.md) on each host (npm run dev, bare workerd, the controls), runs alternating between hosts; writes JSON, markdown and an SVG chart.
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { chart } from "./results/chart.ts";
import { runControl } from "./control.ts";
import { removeBuild, type Host } from "./servers/hosts.ts";
import type { Figures } from "./results/figures.ts";
import { isControlHost, parseOptions, type Configuration, type Host as HostName } from "./options.ts";
import { perfAvailable } from "./servers/perf.ts";
import { markdown } from "./results/report.ts";
import { PresetMissing, Reloaded, runConfiguration, type Progress } from "./run-configuration.ts";
import { medianOf } from "./results/stats.ts";
import { check } from "./results/targets.ts";

const options = parseOptions(process.argv.slice(2));
if (options.perfDir !== undefined && !perfAvailable()) throw new Error("--perf needs Linux perf (apt-get install linux-perf)");
const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, "-");
const base = join(options.outDir, stamp);

/** Runs measured across a rebuild of the worker are repeated, this many times at most. */
const RELOAD_RETRIES = 2;

/** Longest one run may take before the bench kills its server and gives up: start, connect, warm up, measure, a late stats answer, stop. */
const boundMs = (config: Configuration): number =>
  210_000 + config.players * config.rooms * 250 + (options.warmupSeconds + options.seconds) * 1000 + 30_000;

const results: (Figures & { runs: Figures[] })[] = [];
const skipped: string[] = [];
const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? "unknown",
  memoryGb: Math.round(totalmem() / 2 ** 30),
  kernel: release(),
  node: process.version,
  loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
};

async function save(): Promise<string> {
  const byConfig = new Map(results.map((r) => [r.config, r]));
  const checks = check(byConfig);
  const table = markdown(results, checks, skipped, options.runs);
  await mkdir(options.outDir, { recursive: true });
  const date = new Date().toISOString();
  await writeFile(`${base}.json`, `${JSON.stringify({ date, machine, options: { seconds: options.seconds, warmupSeconds: options.warmupSeconds, runs: options.runs }, configurations: results, checks, skipped }, null, 2)}\n`);
  await writeFile(`${base}.md`, `# Arena bench, ${date}\n\n${machine.cpus} × ${machine.model}, load average at start ${machine.loadAverageAtStart.join(" ")}\n\n${table}`);
  await writeFile(`${base}.svg`, chart(results, `Arena bench · ${date.slice(0, 16).replace("T", " ")} · ${options.runs > 1 ? `medians of ${options.runs} runs` : "1 run"} · ${machine.cpus} cores`));
  return table;
}

/** A status line per run: rewritten in place on a terminal, otherwise printed every few seconds. */
function progressFor(prefix: string): Progress {
  let printedAt = 0;
  return (status) => {
    const line = `${prefix} ${status}`;
    if (process.stderr.isTTY) return void process.stderr.write(`\r\x1b[K${line}`);
    if (Date.now() - printedAt < 5000) return;
    printedAt = Date.now();
    process.stderr.write(`${line}\n`);
  };
}

let server: Host | undefined;

/**
 * One run of `config` on `host`: its figures, or null when it failed (reported, and the bench goes on). A run measured
 * across a rebuild of the worker is measured again, up to RELOAD_RETRIES times per configuration and host.
 */
async function measure(config: Configuration, host: HostName, run: number, retries: Map<HostName, number>): Promise<Figures | null | PresetMissing> {
  for (;;) {
    const bound = setTimeout(() => {
      console.error(`\nbench: ${config.name} run ${run} exceeded ${boundMs(config) / 1000} s; stopping`);
      server?.kill();
      void save().finally(() => process.exit(2));
    }, boundMs(config));
    try {
      const progress = progressFor(`[${config.name}@${host} run ${run}/${options.runs}]`);
      const figures = await (isControlHost(host) ? runControl(config, host, options, progress, (s) => (server = s)) : runConfiguration(config, host, options, progress, (s) => (server = s)));
      if (process.stderr.isTTY) process.stderr.write("\n");
      console.error(`[${config.name}@${host} run ${run}/${options.runs}] wire ↓ ${figures.wireDownBytesPerClientSec} B/client/s · ack p99 ${figures.ackLatencyMs.p99} ms · CPU ${figures.serverCpuPerSec} s/s · load ${figures.loadAverage.end.toFixed(2)}`);
      return figures;
    } catch (error) {
      if (error instanceof Reloaded && (retries.get(host) ?? 0) < RELOAD_RETRIES) {
        retries.set(host, (retries.get(host) ?? 0) + 1);
        console.error(`\n[${config.name} run ${run}/${options.runs}] ${error.message}; measuring it again`);
        continue;
      }
      // Any other failure (an overloaded server that stops answering, say) is reported and the bench goes on.
      skipped.push(error instanceof PresetMissing ? `${config.name}: ${error.message}` : `${config.name} run ${run}: failed: ${String(error)}`);
      console.error(`\n${skipped[skipped.length - 1]}`);
      return error instanceof PresetMissing ? error : null;
    } finally {
      clearTimeout(bound);
      server = undefined;
    }
  }
}

try {
  for (const config of options.configurations) {
    // Runs alternate between hosts (run 1 on each, then run 2...), so a machine that drifts over minutes moves every
    // host's median alike, and the ratios between hosts (to the floor, dev to bare workerd) hold still.
    const runs = new Map<HostName, Figures[]>(options.hosts.map((host) => [host, []]));
    const retries = new Map<HostName, number>();
    const missing = new Set<HostName>();
    for (let run = 1; run <= options.runs; run++) {
      for (const host of options.hosts) {
        if (missing.has(host)) continue;
        const figures = await measure(config, host, run, retries);
        if (figures instanceof PresetMissing) missing.add(host);
        else if (figures) runs.get(host)?.push(figures);
      }
    }
    for (const host of options.hosts) {
      const measured = runs.get(host) ?? [];
      if (measured.length === 0) continue;
      const median = { ...medianOf(measured), runs: measured };
      results.push(median);
      console.log(JSON.stringify({ ...median, runs: undefined }));
    }
    await save();
  }
  console.log(`\n${await save()}`);
  console.log(`written: ${base}.json, ${base}.md, ${base}.svg`);
} catch (error) {
  server?.kill();
  await save();
  throw error;
} finally {
  await removeBuild();
}
