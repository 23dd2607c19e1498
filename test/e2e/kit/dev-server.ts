// Runs a real `wrangler dev` from Node and drives it over HTTP and WebSockets like a game client would.
import type { RoomInfo } from "../../../src/protocol/api.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { RoomClient } from "../../../client/sdk/room-client.ts";
import { DEFLATE_FRAMES, FRAMES_PARAM, type Inflate } from "../../../src/protocol/frames.ts";
import { inflateRawSync } from "node:zlib";
import { track } from "./cleanup.ts";
import { healthy, spawnGroup } from "./group.ts";
import { devEnvironment } from "../../../scripts/dev.ts";
import type { ErrorBody } from "../../../src/protocol/errors.ts";
import type { arena, ArenaView } from "../../../src/games/arena.ts";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = `${ROOT}node_modules/.bin`;

export interface DevServer {
  readonly url: string;
  readonly pid: number;
  /** Everything wrangler (and workerd under it) wrote to stdout and stderr so far. */
  log(): string;
  /** Signal the whole process group: wrangler's workerd child must die with it. */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if the group is still there after a few seconds. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface DevServerOptions {
  readonly port: number;
  readonly persistTo: string;
  readonly timeoutMs?: number;
  /**
   * Run the README's own `npm run dev` in this checkout (its default persist folder, .wrangler/state) instead
   * of wrangler directly, giving the port as `npm run dev -- --port N` ("flag") or as `PORT=N` ("env").
   */
  readonly npmDev?: { readonly cwd: string; readonly portVia: "flag" | "env" };
  /** Vars passed with `--var NAME:value`, over wrangler.toml's (`{ INSPECTOR: "on" }` serves the dev inspector); DEV_MODE is "on" unless given. */
  readonly vars?: Readonly<Record<string, string>>;
  /** Secrets (TICKET_SECRET...), which wrangler reads from the environment because wrangler.toml declares them. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** The checkout to run (a scratch copy with a scaffolded game, say); this one by default. */
  readonly root?: string;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  // Two servers at once (test and bench) would otherwise both want the default inspector port 9229.
  const inspectorPort = await freePort();
  const quiet = ["--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false"];
  // DEV_MODE as under `npm run dev` (which passes it itself) unless a test asks for a deployment's behaviour.
  const vars = Object.entries({ ...(options.npmDev ? {} : { DEV_MODE: "on" }), ...options.vars }).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  const npmDev = options.npmDev;
  const [command, args] = npmDev
    ? ["npm", ["run", "dev", "--", ...(npmDev.portVia === "flag" ? ["--port", String(options.port)] : []), ...quiet, ...vars]]
    : [`${BIN}/wrangler`, ["dev", "--ip", "127.0.0.1", "--port", String(options.port), "--persist-to", options.persistTo, ...quiet, ...vars]];
  // `npm run dev` migrates the local D1 itself (scripts/dev.ts); wrangler alone does not, so it is done here first.
  if (!npmDev) await migrateLocalD1(options.root ?? ROOT, options.persistTo);
  const group = spawnGroup(command, args, {
    cwd: npmDev?.cwd ?? options.root ?? ROOT,
    // node_modules/.bin first: wrangler needs the project's Node 22, not the system Node 20.
    env: {
      ...process.env,
      // What npm run dev gives wrangler (which the npmDev case runs itself).
      ...devEnvironment(process.env),
      ...options.secrets,
      PATH: `${BIN}:${process.env.PATH ?? ""}`,
      WRANGLER_SEND_METRICS: "false",
      NO_COLOR: "1",
      ...(npmDev?.portVia === "env" ? { PORT: String(options.port) } : {}),
    },
  }, "wrangler");
  const url = `http://127.0.0.1:${options.port}`;
  await healthy(group, url, options.timeoutMs ?? 60_000, "wrangler dev");
  return { url, pid: group.pid, log: group.log, kill: group.kill, stop: group.stop };
}

/** migrations/ applied to the local D1 database in `persistTo`, as `npm run dev` does (a no-op once applied). */
async function migrateLocalD1(root: string, persistTo: string): Promise<void> {
  // A group tracked like the servers: a test that fails while this runs has it killed, so no server starts after the cleanup.
  const group = spawnGroup(`${BIN}/wrangler`, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
    cwd: root,
    env: { ...process.env, PATH: `${BIN}:${process.env.PATH ?? ""}`, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
  }, "wrangler d1 migrations apply");
  const timer = setTimeout(() => group.kill("SIGKILL"), 60_000);
  const code = await group.exit;
  clearTimeout(timer);
  await group.stop();
  if (code !== 0) throw new Error(`wrangler d1 migrations apply failed (${code})\n${group.log()}`);
}

/** A dev server on a free port with a temporary persist folder of its own; restartable on the same folder. */
/** Secrets a deployment would hold, and another checkout to run (a scratch copy with a scaffolded game). */
type ServerExtra = Pick<DevServerOptions, "secrets" | "root">;

export class TempServer {
  current: DevServer;
  readonly #port: number;
  readonly #persistTo: string;
  readonly #vars: Readonly<Record<string, string>>;
  /** The checkout and secrets it runs with, kept for restarts. */
  readonly #extra: ServerExtra;

  private constructor(current: DevServer, port: number, persistTo: string, vars: Readonly<Record<string, string>>, extra: ServerExtra) {
    this.current = current;
    this.#port = port;
    this.#persistTo = persistTo;
    this.#vars = vars;
    this.#extra = extra;
  }

  static async start(vars: Readonly<Record<string, string>> = {}, extra: ServerExtra = {}): Promise<TempServer> {
    const persistTo = await mkdtemp(joinPath(tmpdir(), "game-room-"));
    track(() => rm(persistTo, { recursive: true, force: true }));
    const port = await freePort();
    return new TempServer(await startDevServer({ port, persistTo, vars, ...extra }), port, persistTo, vars, extra);
  }

  get url(): string {
    return this.current.url;
  }

  /** Start again on the same port and storage, after the current process was killed. */
  async restart(): Promise<DevServer> {
    this.current = await startDevServer({ port: this.#port, persistTo: this.#persistTo, vars: this.#vars, ...this.#extra });
    return this.current;
  }

  /** Stop the server and delete its storage. */
  async close(): Promise<void> {
    await this.current.stop();
    await rm(this.#persistTo, { recursive: true, force: true });
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

const post = <T>(url: string, body: unknown): Promise<T> =>
  call<T>(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export async function createRoom(url: string, game: string, preset = "default"): Promise<string> {
  const { roomId } = await post<{ roomId: string }>(`${url}/api/rooms`, { game, preset });
  return roomId;
}

export interface Seat {
  readonly roomId: string;
  readonly playerId: string;
  readonly team: string;
  readonly wsUrl: string;
}

export async function join(url: string, roomId: string, name: string): Promise<Seat> {
  const seat = await post<{ playerId: string; team: string; ticket: string }>(`${url}/api/rooms/${roomId}/join`, { name });
  const wsUrl = `${url.replace(/^http/, "ws")}/rooms/${roomId}/ws?ticket=${encodeURIComponent(seat.ticket)}`;
  return { roomId, playerId: seat.playerId, team: seat.team, wsUrl };
}

/** A spectator's place in a room. */
export async function spectate(url: string, roomId: string, name = "watcher"): Promise<Seat> {
  const seat = await post<{ playerId: string; team: string; ticket: string }>(`${url}/api/rooms/${roomId}/spectate`, { name });
  const wsUrl = `${url.replace(/^http/, "ws")}/rooms/${roomId}/ws?ticket=${encodeURIComponent(seat.ticket)}`;
  return { roomId, playerId: seat.playerId, team: seat.team, wsUrl };
}

/** A seat from quick play (POST /api/matchmake). */
export async function quickPlay(url: string, name: string, game = "arena", preset = "default"): Promise<Seat> {
  const seat = await post<{ roomId: string; playerId: string; team: string; ticket: string }>(`${url}/api/matchmake`, { game, preset, name });
  const wsUrl = `${url.replace(/^http/, "ws")}/rooms/${seat.roomId}/ws?ticket=${encodeURIComponent(seat.ticket)}`;
  return { roomId: seat.roomId, playerId: seat.playerId, team: seat.team, wsUrl };
}

export type { RoomInfo };

export const roomInfo = (url: string, roomId: string): Promise<RoomInfo> => call<RoomInfo>(`${url}/api/rooms/${roomId}`);

/** A seat's socket URL asking for compressed frames (src/protocol/frames.ts), as the SDK's clients do. */
export const withFrames = (wsUrl: string): string => `${wsUrl}&${FRAMES_PARAM}=${DEFLATE_FRAMES}`;

/** Node's zlib, synchronous: a process holding a fleet of clients cannot afford a DecompressionStream per frame. */
export const nodeInflate: Inflate = (body) => inflateRawSync(body).toString();

/** A WebSocket message's payload size in bytes: a binary frame's length, a text's UTF-8 size. */
export const payloadBytes = (data: string | ArrayBuffer): number => (typeof data === "string" ? Buffer.byteLength(data) : data.byteLength);

/** One arena player's socket: the SDK's RoomClient plus byte counts and a hook on every new version. */
export class Bot {
  readonly seat: Seat;
  readonly client: RoomClient<typeof arena>;
  readonly errors: ErrorBody[] = [];
  /** Downstream messages and their payload bytes (a compressed frame's own length, a text's UTF-8 size). */
  messages = 0;
  bytes = 0;
  closed = false;
  /** Called after every message that moved the held view forward. */
  onAdvance: ((bot: Bot) => void) | undefined;

  private constructor(seat: Seat, resume?: { view: unknown; version: number }) {
    this.seat = seat;
    // Compressed frames, as the SDK's socketUrl asks for them.
    const socket = new WebSocket(withFrames(seat.wsUrl));
    socket.addEventListener("message", (event: MessageEvent) => {
      this.messages += 1;
      this.bytes += payloadBytes(event.data as string | ArrayBuffer);
    });
    this.client = new RoomClient<typeof arena>(socket, {
      ...(resume ? { resume } : {}),
      inflate: nodeInflate,
      onChange: () => this.onAdvance?.(this),
      onError: (error) => this.errors.push(error),
    });
    this.client.socket?.addEventListener("close", () => (this.closed = true));
  }

  /** Open the socket and wait for the welcome and a view (the first snapshot, or the resumed one). */
  static async connect(seat: Seat, resume?: { view: unknown; version: number }, timeoutMs = 10_000): Promise<Bot> {
    const bot = new Bot(seat, resume);
    await bot.until(() => bot.client.welcome !== undefined && bot.client.view !== undefined, timeoutMs);
    return bot;
  }

  get version(): number {
    return this.client.version;
  }

  /** The arena view of this player's team. */
  get view(): ArenaView | undefined {
    return this.client.view?.game ?? undefined;
  }

  get gaps(): number {
    return this.client.gaps;
  }

  get lastSeq(): number {
    return this.client.lastSeq;
  }

  /** The highest own input the held view reflects: the update's `applied`, else its ack (the arena is realtime). */
  get lastInput(): number {
    return this.client.lastApplied;
  }

  /** The highest own input the room has stored: the ack its updates carried. */
  get lastStored(): number {
    return this.client.lastAcked;
  }

  get maxAcked(): number {
    return this.client.lastAcked;
  }

  /** Send an input with the next seq; returns the seq, or 0 when the socket is no longer open. */
  input(dx: number, dy: number): number {
    return this.client.socket?.readyState === WebSocket.OPEN ? this.client.send("input", { dx, dy }) : 0;
  }

  /** Poll until `done` holds, failing after `timeoutMs`. */
  async until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (this.closed) throw new Error(`socket of ${this.seat.playerId} closed while waiting`);
      if (Date.now() > deadline) throw new Error(`timed out waiting on ${this.seat.playerId}`);
      await sleep(20);
    }
  }

  close(): void {
    this.client.close();
  }
}
