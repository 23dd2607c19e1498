// A child process in a process group of its own, tracked for cleanup: its log, its exit, and a stop that ends the whole group.
import { spawn, type SpawnOptions } from "node:child_process";
import { track } from "./cleanup.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Group {
  readonly pid: number;
  log(): string;
  exited(): boolean;
  /** Resolves when the leader exits. */
  readonly exit: Promise<number | null>;
  /** A signal to every process of the group (wrangler and workerd run children that must go too). */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL to any straggler; resolves once no process of the group is left. Safe to call twice. */
  stop(): Promise<void>;
}

/** `command` in a new process group, stdout and stderr collected; stopped after the test file unless stopped first. */
export function spawnGroup(command: string, args: readonly string[], options: Omit<SpawnOptions, "detached" | "stdio">, what: string): Group {
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  let exited = false;
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => ((exited = true), resolve(code))));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${what} did not start`);
  const kill = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const groupExists = (): boolean => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async (): Promise<void> => {
    untrack();
    kill("SIGTERM");
    await Promise.race([exit, sleep(5000)]);
    // The leader may exit before its children do; the group kill catches any straggler, and stopped means gone.
    kill("SIGKILL");
    await Promise.race([exit, sleep(2000)]);
    for (let waited = 0; waited < 3000 && groupExists(); waited += 50) await sleep(50);
  };
  // Tracked from the moment it exists: a test that fails before it holds the process still stops it.
  const untrack = track(stop, () => kill("SIGKILL"));
  return { pid, log: () => log, exited: () => exited, exit, kill, stop };
}

/** Poll `url`/api/health until it answers 200; stops the group and throws (with its log) when it does not in time. */
export async function healthy(group: Group, url: string, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !group.exited()) {
    try {
      if ((await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  await group.stop();
  throw new Error(`${what} did not become healthy on ${url} (exited: ${group.exited()})\n${group.log()}`);
}
