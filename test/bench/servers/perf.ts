// `npm run bench -- --perf`: a Linux `perf` profile of bare workerd over each measure window, its JIT frames named, summarized as text.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * V8's flags for a profile whose JavaScript frames are named: a perf map of JIT code, no moving of code once mapped
 * (a moved function leaves a stale map entry, and its samples land on whatever was mapped there before), and
 * interpreted frames on the native stack so bytecode-run functions show too.
 */
export const PERF_V8_FLAGS = ["--perf-basic-prof", "--no-compact-code-space", "--interpreted-frames-native-stack"] as const;

/** Samples a second: odd, so the sampling does not beat with the 20 Hz tick. */
const FREQUENCY = 999;

/** Whether `perf` is installed; whether the kernel lets it sample another process shows when the first window is recorded (a failed run is reported). */
export function perfAvailable(): boolean {
  return spawnSync("perf", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * `perf script`'s samples as folded stacks, root first (`a;b;c 12`), the input of flame graph tools; a function's
 * inclusive share is the count of the lines that hold it. Offsets and binaries are dropped from the frames' names.
 */
export function foldStacks(script: string): string {
  const counts = new Map<string, number>();
  for (const block of script.split(/\n\s*\n/)) {
    const frames = block.split("\n").filter((line) => /^\s/.test(line)).map((line) => line.trim().replace(/^[0-9a-f]+\s+/, "").replace(/\s+\([^()]*\)$/, "").replace(/\+0x[0-9a-f]+$/, ""));
    if (frames.length === 0) continue;
    const stack = frames.reverse().join(";");
    counts.set(stack, (counts.get(stack) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([stack, n]) => `${stack} ${n}\n`).join("");
}

/**
 * V8's perf map (`start size name` lines, appended as code is made) with only the latest code at each address. V8
 * frees code it replaces (a function optimized again, a closure gone) and puts new code where it was, and the map
 * keeps both entries; perf then names the new code's samples after the old, so a send showed up as the arena's
 * tick. The window is measured after a warm-up, when the code is mostly the latest: later entries win.
 */
export function latestCode(map: string): { map: string; dropped: number } {
  const lines = map.split("\n").filter((line) => line !== "");
  /** Kept ranges, sorted by start, disjoint. */
  const kept: { start: number; end: number }[] = [];
  const keptLines: string[] = [];
  let dropped = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    const [startText = "", sizeText = ""] = line.split(" ", 2);
    const start = Number.parseInt(startText, 16);
    const end = start + Number.parseInt(sizeText, 16);
    // The first kept range that ends after this start; it overlaps when it also starts before this end.
    let low = 0;
    for (let high = kept.length; low < high; ) {
      const mid = (low + high) >> 1;
      if ((kept[mid]?.end ?? 0) <= start) low = mid + 1;
      else high = mid;
    }
    if ((kept[low]?.start ?? Infinity) < end) {
      dropped += 1;
      continue;
    }
    kept.splice(low, 0, { start, end });
    keptLines.push(line);
  }
  return { map: `${keptLines.reverse().join("\n")}\n`, dropped };
}

/**
 * Record `pid` for `seconds`; the returned function waits for the recording and writes `<stem>.txt` (the share of
 * samples by binary, workerd, kernel and JIT, then the top symbols by self time) and `<stem>.folded` (every
 * sample's stack, for a flame graph or a grep). The raw data is deleted after: it grows large, and it names JIT
 * frames only while the process's perf map is there.
 */
function startProfile(pid: number, seconds: number, stem: string): () => Promise<void> {
  const data = `${stem}.data`;
  mkdirSync(dirname(stem), { recursive: true });
  const recorder = spawn("perf", ["record", "-F", String(FREQUENCY), "-g", "-p", String(pid), "-o", data, "--", "sleep", String(seconds)], { stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  recorder.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const recorded = new Promise<number | null>((resolve) => recorder.on("exit", resolve));
  return async () => {
    const status = await recorded;
    if (status !== 0) throw new Error(`perf record exited ${status}: ${errors.trim()}`);
    const mapFile = perfMapOf(pid);
    const { map, dropped } = latestCode(await readFile(mapFile, "utf8").catch(() => ""));
    await writeFile(mapFile, map);
    const perf = (...args: string[]): string => spawnSync("perf", [...args, "-i", data], { encoding: "utf8", maxBuffer: 512 * 2 ** 20 }).stdout;
    const report = (sort: string): string =>
      perf("report", "--stdio", "--no-children", "-g", "none", "--percent-limit", "0.3", "--sort", sort)
        .split("\n")
        .filter((line) => line.trim() !== "" && !line.startsWith("#"))
        .map((line) => line.slice(0, 200).trimEnd())
        .join("\n");
    const sections = [`# perf, pid ${pid}, ${seconds} s at ${FREQUENCY} Hz; ${dropped} JIT map entries replaced by later code at their address`, "## By binary (self)", report("dso"), "## By symbol (self)", report("dso,sym")];
    await writeFile(`${stem}.txt`, `${sections.join("\n\n")}\n`);
    await writeFile(`${stem}.folded`, foldStacks(perf("script", "-F", "ip,sym")));
    await rm(data, { force: true });
  };
}

/** A measure window's profile when `perfDir` is set (else nothing): `<perfDir>/perf-<time>-<label>.txt`. */
export function profileWindow(perfDir: string | undefined, pid: number, seconds: number, label: string): () => Promise<void> {
  if (perfDir === undefined) return () => Promise.resolve();
  const time = new Date().toISOString().slice(0, 19).replace(/:/g, "-");
  return startProfile(pid, seconds, join(perfDir, `perf-${time}-${label}`));
}

/** Where `--perf-basic-prof` has V8 write a process's perf map (perf reads it from there). */
const perfMapOf = (pid: number): string => `/tmp/perf-${pid}.map`;

/** V8's perf map of a profiled process, once it is gone. */
export const removePerfMap = (pid: number): Promise<void> => rm(perfMapOf(pid), { force: true });
