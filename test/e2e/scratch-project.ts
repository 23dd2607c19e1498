// A scratch copy of the project whose game files a test may edit, served by `wrangler dev` on a shared persist folder.
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, sleep } from "./dev-server.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = `${ROOT}node_modules/.bin`;
/** What `wrangler dev` needs: the Worker's sources, the client it builds into static assets, and its config. */
const COPIED = ["src", "client", "wrangler.toml", "package.json", "tsconfig.json", "worker-configuration.d.ts"];

export interface ScratchServer {
  readonly url: string;
  log(): string;
  /** SIGTERM to the process group, SIGKILL after 5 s; resolves when the group is gone (or after 7 s at most). */
  stop(): Promise<void>;
}

/** A copy of the project in a temp folder (node_modules linked, not copied) plus a persist folder its servers share. */
export class ScratchProject {
  readonly #servers = new Set<ScratchServer>();

  private constructor(
    readonly dir: string,
    readonly persistTo: string,
    readonly port: number,
  ) {}

  static async create(): Promise<ScratchProject> {
    const dir = await mkdtemp(join(tmpdir(), "game-room-scratch-"));
    for (const entry of COPIED) {
      await cp(join(ROOT, entry), join(dir, entry), { recursive: true, filter: (source) => !source.includes(`${join("client", "dist")}`) });
    }
    await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    return new ScratchProject(dir, join(dir, ".state"), await freePort());
  }

  /** Replace `find` with `replace` in one file of the copy; throws if `find` is not there exactly once. */
  async edit(file: string, find: string, replace: string): Promise<void> {
    const path = join(this.dir, file);
    const text = await readFile(path, "utf8");
    const at = text.indexOf(find);
    if (at < 0 || text.indexOf(find, at + 1) >= 0) throw new Error(`${file}: expected exactly one ${JSON.stringify(find)}`);
    await writeFile(path, text.slice(0, at) + replace + text.slice(at + find.length));
  }

  /** Start `wrangler dev` on the copy; healthy within `timeoutMs` or stopped and thrown. */
  async start(timeoutMs = 90_000): Promise<ScratchServer> {
    const inspectorPort = await freePort();
    const child = spawn(
      `${BIN}/wrangler`,
      ["dev", "--ip", "127.0.0.1", "--port", String(this.port), "--inspector-port", String(inspectorPort), "--persist-to", this.persistTo, "--show-interactive-dev-session=false"],
      {
        cwd: this.dir,
        env: { ...process.env, PATH: `${BIN}:${process.env.PATH ?? ""}`, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
        // Its own process group, so one signal reaches wrangler and the workerd under it.
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let log = "";
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    let exited = false;
    const exit = new Promise<void>((resolve) => child.on("exit", () => ((exited = true), resolve())));
    const pid = child.pid;
    if (pid === undefined) throw new Error("wrangler did not start");
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-pid, name);
      } catch {
        // The group is gone already.
      }
    };
    const url = `http://127.0.0.1:${this.port}`;
    const server: ScratchServer = {
      url,
      log: () => log,
      stop: async () => {
        signal("SIGTERM");
        await Promise.race([exit, sleep(5000)]);
        signal("SIGKILL");
        await Promise.race([exit, sleep(2000)]);
        this.#servers.delete(server);
      },
    };
    this.#servers.add(server);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !exited) {
      try {
        if ((await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return server;
      } catch {
        // Not listening yet.
      }
      await sleep(250);
    }
    await server.stop();
    throw new Error(`wrangler dev in ${this.dir} did not become healthy on ${url} (exited: ${exited})\n${log}`);
  }

  /** Stop every server still running and delete the copy with its storage. */
  async dispose(): Promise<void> {
    for (const server of [...this.#servers]) await server.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
