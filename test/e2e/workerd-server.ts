// Runs the self-host path from Node: `npm run serve`'s script (or its workerd alone) on a free port, restartable on the same storage.
import { spawn } from "node:child_process";
import { track } from "./cleanup.ts";
import { ROOT, sleep, type DevServer } from "./dev-server.ts";

export interface ServeRun {
  readonly port: number;
  /** The storage and build folder (`--state`). */
  readonly state: string;
  readonly vars?: Readonly<Record<string, string>>;
  /** Build the Worker first (the first start); a restart reuses the build. */
  readonly build?: boolean;
  readonly timeoutMs?: number;
}

/** `node scripts/serve.ts` in its own process group, healthy on `/api/health`; stop() ends the whole group. */
export async function startServe(run: ServeRun): Promise<DevServer> {
  const vars = Object.entries({ DEV_MODE: "on", ...run.vars }).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  const args = ["scripts/serve.ts", "--port", String(run.port), "--state", run.state, ...(run.build ? [] : ["--no-build"]), ...vars];
  const child = spawn(`${ROOT}node_modules/.bin/node`, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on("exit", () => ((exited = true), resolve())));
  const pid = child.pid;
  if (pid === undefined) throw new Error("npm run serve did not start");
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
    kill("SIGKILL");
    for (let waited = 0; waited < 3000 && groupExists(); waited += 50) await sleep(50);
  };
  const untrack = track(stop, () => kill("SIGKILL"));
  const url = `http://127.0.0.1:${run.port}`;
  const server: DevServer = { url, pid, log: () => log, kill, stop };
  const deadline = Date.now() + (run.timeoutMs ?? 120_000);
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return server;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`npm run serve did not become healthy on ${url} (exited: ${exited})\n${log}`);
}
