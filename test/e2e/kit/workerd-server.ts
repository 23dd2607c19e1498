// Runs the self-host path from Node: `npm run serve`'s script (or its workerd alone) on a free port, restartable on the same storage.
import { ROOT, type DevServer } from "./dev-server.ts";
import { healthy, spawnGroup } from "./group.ts";

export interface ServeRun {
  readonly port: number;
  /** The storage and build folder (`--state`). */
  readonly state: string;
  readonly vars?: Readonly<Record<string, string>>;
  /** Build the Worker first (the first start); a restart reuses the build. */
  readonly build?: boolean;
  /** More of `npm run serve`'s arguments (`--client-ip-header NAME`). */
  readonly args?: readonly string[];
  /** Secrets in the process's environment (`TICKET_SECRET`), as a deployment passes them. */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** `node scripts/serve.ts` in its own process group, healthy on `/api/health`; stop() ends the whole group. */
export async function startServe(run: ServeRun): Promise<DevServer> {
  const vars = Object.entries({ DEV_MODE: "on", ...run.vars }).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  const args = ["scripts/serve.ts", "--port", String(run.port), "--state", run.state, ...(run.build ? [] : ["--no-build"]), ...vars, ...(run.args ?? [])];
  const group = spawnGroup(`${ROOT}node_modules/.bin/node`, args, { cwd: ROOT, env: { ...process.env, ...run.secrets, NO_COLOR: "1" } }, "npm run serve");
  const url = `http://127.0.0.1:${run.port}`;
  await healthy(group, url, run.timeoutMs ?? 120_000, "npm run serve");
  return { url, pid: group.pid, log: group.log, kill: group.kill, stop: group.stop };
}
