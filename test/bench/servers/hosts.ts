// The servers the bench measures: `npm run dev` (wrangler), the built Worker on bare workerd, and the do-nothing control on bare workerd.
import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, sleep, TempServer } from "../../e2e/kit/dev-server.ts";
import { buildWorker, workerdBinary, writeConfig } from "../../../scripts/serve.ts";
import { v8FlagsField } from "../../../scripts/serve/config.ts";
import { PERF_V8_FLAGS, removePerfMap } from "./perf.ts";

export type HostName = "wrangler" | "workerd";

export interface Host {
  readonly url: string;
  /** Its process group: every process in it counts as the server. */
  readonly pid: number;
  kill(): void;
  close(): Promise<void>;
}

/** The Worker is built once per bench (the tree does not change under it), into this folder; unminified for a profile. */
let built: Promise<string> | undefined;
const buildOnce = (perf: boolean): Promise<string> =>
  (built ??= mkdtemp(join(tmpdir(), "game-room-bench-build-")).then((dir) => {
    buildWorker(join(dir, "build"), { minify: !perf });
    return dir;
  }));

/** Delete the one build, once the bench is done. */
export async function removeBuild(): Promise<void> {
  if (built) await rm(await built, { recursive: true, force: true });
  built = undefined;
}

/** `perf`: bare workerd runs with V8's flags for a profile (`npm run bench -- --perf`); wrangler is never profiled. */
export async function startHost(host: HostName | "control", perf = false): Promise<Host> {
  if (host === "wrangler") {
    // What `npm run dev` runs: wrangler dev with DEV_MODE on and the dev script's environment.
    const server = await TempServer.start();
    return { url: server.url, pid: server.current.pid, kill: () => server.current.kill("SIGKILL"), close: () => server.close() };
  }
  const state = await mkdtemp(join(tmpdir(), "game-room-bench-"));
  const port = await freePort();
  let config: string;
  const v8Flags = perf ? PERF_V8_FLAGS : [];
  if (host === "workerd") {
    const build = await buildOnce(perf);
    // The one build, fresh storage per run.
    config = await writeConfig({ port, state, buildDir: join(build, "build"), vars: { DEV_MODE: "on" }, build: false, clientIpHeader: undefined, v8Flags });
  } else config = await controlConfig(state, port, v8Flags);
  // In the run's own folder, so whatever V8's flags write beside the process goes with it.
  const child = spawn(workerdBinary(), ["serve", config, "--experimental"], { detached: true, cwd: state, stdio: ["ignore", "ignore", "inherit"] });
  const pid = child.pid;
  if (pid === undefined) throw new Error("workerd did not start");
  let exited = false;
  child.on("exit", () => (exited = true));
  const kill = (): void => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  const close = async (): Promise<void> => {
    kill();
    for (let waited = 0; waited < 3000 && !exited; waited += 50) await sleep(50);
    await rm(state, { recursive: true, force: true });
    if (perf) await removePerfMap(pid);
  };
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && !exited; await sleep(100)) {
    try {
      if ((await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return { url, pid, kill, close };
    } catch {
      // Not listening yet.
    }
  }
  await close();
  throw new Error(`${host} on workerd did not become healthy on ${url}`);
}

async function controlConfig(state: string, port: number, v8Flags: readonly string[]): Promise<string> {
  // capnp embeds files relative to the config.
  await copyFile(fileURLToPath(new URL("./control-worker.js", import.meta.url)), join(state, "worker.js"));
  const path = join(state, "control.capnp");
  // `durable` stores rows on local disk, as bare workerd's rooms do; the others never write.
  await mkdir(join(state, "objects"));
  await writeFile(
    path,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "control", worker = .control), (name = "state", disk = (path = ${JSON.stringify(join(state, "objects"))}, writable = true))],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "control")],${v8FlagsField(v8Flags)}
);
const control :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2026-11-01",
  compatibilityFlags = ["no_web_socket_compression"],
  bindings = [(name = "CONTROL", durableObjectNamespace = "Control")],
  durableObjectNamespaces = [(className = "Control", uniqueKey = "bench-control", enableSql = true)],
  durableObjectStorage = (localDisk = "state"),
);
`,
  );
  return path;
}
