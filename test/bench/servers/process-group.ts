// CPU time and resident memory of every process in a process group, read from /proc (Linux only).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc's time fields; 100 on every common Linux, asked once to be sure. */
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
const PAGE_BYTES = Number(execFileSync("getconf", ["PAGESIZE"]).toString().trim()) || 4096;

export interface ProcessUsage {
  readonly pid: number;
  /** The command name, e.g. node (wrangler), workerd, esbuild. */
  readonly name: string;
  /** User plus system CPU seconds, plus what its reaped children used. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
}

export interface GroupUsage {
  readonly cpuSeconds: number;
  /** Summed over the members, so pages they share are counted once per member. */
  readonly rssBytes: number;
  readonly processes: readonly ProcessUsage[];
}

/**
 * wrangler dev runs two workerd processes: its dev proxy (which owns the public port) and the one running the
 * Worker (the one with an inspector address); their cost is told apart by name.
 */
function roleOf(pid: string, name: string): string {
  if (name !== "workerd") return name;
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "latin1");
  } catch {
    return name;
  }
  if (!cmdline.includes("--control-fd")) return name;
  return cmdline.includes("--inspector-addr") ? "workerd (Worker)" : "workerd (dev proxy)";
}

/** Reads /proc/<pid>/stat of every process whose process group is `pgid`. */
export function groupUsage(pgid: number): GroupUsage {
  const processes: ProcessUsage[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "latin1");
    } catch {
      // The process exited between the listing and the read.
      continue;
    }
    // The command name is in parentheses and may itself hold spaces or parentheses: split after the last one.
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    // fields[0] is stat field 3 (state), so stat field n is fields[n - 3].
    if (Number(fields[2]) !== pgid) continue;
    processes.push({
      pid: Number(entry),
      name: roleOf(entry, stat.slice(stat.indexOf("(") + 1, close)),
      cpuSeconds: (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS,
      rssBytes: Number(fields[21]) * PAGE_BYTES,
    });
  }
  return {
    cpuSeconds: processes.reduce((sum, p) => sum + p.cpuSeconds, 0),
    rssBytes: processes.reduce((sum, p) => sum + p.rssBytes, 0),
    processes,
  };
}

/** Sums a per-process figure by command name, so runs (with new pids) line up: "workerd", "node", "esbuild". */
export function byName(processes: readonly ProcessUsage[], figure: (p: ProcessUsage) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of processes) out[p.name] = Math.round(((out[p.name] ?? 0) + figure(p)) * 1000) / 1000;
  return out;
}

/** CPU seconds each member used between two readings (all of it, for one that started in between). */
export function cpuSince(before: GroupUsage, after: GroupUsage): ProcessUsage[] {
  const start = new Map(before.processes.map((p) => [p.pid, p.cpuSeconds]));
  return after.processes.map((p) => ({ ...p, cpuSeconds: p.cpuSeconds - (start.get(p.pid) ?? 0) }));
}
