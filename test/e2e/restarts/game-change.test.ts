// A game edited between two `wrangler dev` runs on one persist folder: clients come back and continue, or get the typed end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, roomInfo } from "../../../client/sdk/join.ts";
import type { GameSession } from "../../../client/sdk/game-session.ts";
import { joinGame } from "../../../client/sdk/join-game.ts";
import type { Connect } from "../../../client/sdk/socket.ts";
import { shownPlayer } from "../../../src/games/arena.ts";
import type { ErrorBody } from "../../../src/protocol/errors.ts";
import type { ResultMessage } from "../../../src/protocol/messages.ts";
import { frameText } from "../../../src/protocol/frames.ts";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, sleep, startDevServer, type DevServer } from "../kit/dev-server.ts";
import { scratchCheckout } from "../kit/scratch.ts";

const GAME = "src/games/arena.ts";
/** Quick, patient reconnects: the server is down for as long as a restart takes on a busy machine. */
const policy = { minDelayMs: 200, maxDelayMs: 1000, factor: 2, minUptimeMs: 1000, maxAttempts: 300, connectTimeoutMs: 3000 };
/** The arena's own version and migration, as src/games/arena.ts has them. */
const OWN = "version: 2,\n  migrate: (state, fromVersion) => (fromVersion === 1 ? fromVersion1(state) : null),\n";
/** Version 3 migrates a version-2 state: both scores set to 777 and an obstacle added, which no later tick touches. */
const MIGRATE = `version: 3,\n  migrate: (state, from) => (from === 2 ? { ...(state as ArenaState), scores: { red: 777, blue: 777 }, obstacles: { migrated: { x: 7, y: 7 } } } : null),\n`;

interface Client {
  readonly session: GameSession<"arena">;
  readonly errors: ErrorBody[];
  /** The `reason` of every `result` message, read off the wire. */
  readonly ends: ResultMessage["reason"][];
  /** Welcomes seen: one per connection. */
  readonly welcomes: number;
}

/** How the clients stand, for a failure message. */
let describeClients = (): string => "";

async function until(what: string, done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}: ${describeClients()}`);
    await sleep(50);
  }
}

/**
 * Node 22's WebSocket, opened so that a refused connection fails the attempt: undici fires `error` and never
 * `close` when nothing listens on the port, and the SDK's `openWebSocket` waits for `close`, so its reconnect
 * loop would stall on the first attempt made while the server is down.
 */
const openInNode: Connect = (url, timeoutMs) =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.close();
      reject(new Error(why));
    };
    const timer = setTimeout(() => fail("connect timeout"), timeoutMs);
    ws.addEventListener("open", () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(ws);
    });
    ws.addEventListener("error", () => fail("could not connect"));
    ws.addEventListener("close", (event) => fail(`closed before open: ${event.code}`));
  });

async function connect(url: string, roomId: string, name: string): Promise<Client> {
  const client = { errors: [] as ErrorBody[], ends: [] as ResultMessage["reason"][], welcomes: 0 };
  // Every socket the session opens is watched from its first frame: welcomes (one per connection) and results.
  const connect: Connect = async (socketUrl, timeoutMs) => {
    const ws = await openInNode(socketUrl, timeoutMs);
    // The SDK's sockets take compressed frames: the long messages (a welcome among them) come as binary.
    ws.addEventListener("message", async (event) => {
      const data = event.data as string | ArrayBuffer | Blob;
      const message = JSON.parse(typeof data === "string" ? data : await frameText(data)) as { type: string; reason?: ResultMessage["reason"] };
      if (message.type === "welcome") client.welcomes += 1;
      if (message.type === "result" && message.reason) client.ends.push(message.reason);
    });
    return ws;
  };
  const session = await joinGame("arena", { via: "room", roomId, name, server: url, connect, policy });
  session.onError((error) => client.errors.push(error));
  return { ...client, session, get welcomes() { return client.welcomes; } };
}

/** Each client steers (`dx` per client) and waits until the room has applied its input (the update's ack covers it). */
async function play(clients: readonly Client[], dx: number | ((client: Client) => number)): Promise<void> {
  for (const client of clients) {
    const { session } = client;
    const seq = session.send("input", { dx: typeof dx === "number" ? dx : dx(client), dy: 0 });
    await until(`${session.playerId} sees input ${seq} applied`, () => session.client.lastAcked >= seq, 20_000);
  }
}

const xOf = (c: Client): number => {
  const game = c.session.view?.game;
  return (game && shownPlayer(game, c.session.playerId ?? "")?.x) ?? Number.NaN;
};
/** Towards the farther wall of the 1,000-unit arena, so a player has room to move. */
const inward = (c: Client): number => (xOf(c) > 500 ? -1 : 1);

const open = (clients: readonly Client[], welcomes: number) => () => clients.every((c) => c.session.status === "open" && c.welcomes >= welcomes && c.session.view !== undefined);

/** A scratch checkout whose game file the test edits, and the persist folder every run of it shares. */
class Project {
  readonly dir = scratchCheckout("game-change-");
  readonly persistTo = join(this.dir, ".state");

  private constructor(readonly port: number) {}

  static async create(): Promise<Project> {
    return new Project(await freePort());
  }

  /** Replace `find` with `replace` in one file of the copy; throws unless `find` is there exactly once. */
  async edit(file: string, find: string, replace: string): Promise<void> {
    const path = join(this.dir, file);
    const text = await readFile(path, "utf8");
    const at = text.indexOf(find);
    if (at < 0 || text.indexOf(find, at + 1) >= 0) throw new Error(`${file}: expected exactly one ${JSON.stringify(find)}`);
    await writeFile(path, text.slice(0, at) + replace + text.slice(at + find.length));
  }

  /** `wrangler dev` on the copy, same port and storage every time; stopped after the file whatever happens. */
  start(): Promise<DevServer> {
    return startDevServer({ port: this.port, persistTo: this.persistTo, root: this.dir, timeoutMs: 90_000 });
  }
}

describe("a game edited between two wrangler dev runs on the same storage", () => {
  let project: Project | undefined;
  let server: DevServer | undefined;
  const clients: Client[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    project = await Project.create();
    describeClients = () =>
      JSON.stringify(clients.map((c) => ({ status: c.session.status, closed: c.session.closed, attempts: c.session.reconnectAttempts, welcomes: c.welcomes, version: c.session.client.version, errors: c.errors.map((e) => e.code), ends: c.ends }))) +
      `\nserver log tail:\n${server?.log().slice(-3000) ?? ""}`;
  });

  afterAll(() => {
    // The servers and the scratch folder are stopped and removed by test/e2e/kit/setup.ts after the file.
    for (const { session } of clients) session.leave();
    console.log(`game-change timings (s): ${JSON.stringify(timings)}`);
  });

  /** Stop the server, edit the game, start again on the same storage; the clients' sockets drop and come back. */
  async function restartWith(edit: () => Promise<void>): Promise<DevServer> {
    const started = Date.now();
    await server?.stop();
    await edit();
    server = await (project as Project).start();
    timings[`restart${Object.keys(timings).length + 1}`] = (Date.now() - started) / 1000;
    return server;
  }

  let roomId = "";
  let t0 = 0;

  it("seats two clients in an arena match on the original code", async () => {
    t0 = Date.now();
    server = await (project as Project).start();
    roomId = (await createRoom(server.url, "arena")).roomId;
    for (const name of ["ann", "bob"]) clients.push(await connect(server.url, roomId, name));
    await play(clients, 1);
  }, 180_000);

  it("(a) continues after a compatible change: a rule constant edited, the same version", async () => {
    // Every input acknowledged, so each is durable; ticks run after the last stored batch may be lost with the
    // server (they were never acknowledged), so what must survive is the acks, not the live tick count.
    await until("every input is acknowledged", () => clients.every((c) => c.session.client.pending === 0));
    const before = await roomInfo((server as DevServer).url, roomId);
    const acked = clients.map((c) => c.session.lastAcked);
    expect(Math.min(...acked)).toBeGreaterThan(0);
    // Arena speed 200 → 400; the game's version stays 2.
    const url = (await restartWith(() => (project as Project).edit(GAME, "speed: 200, fogRadius: FOG", "speed: 400, fogRadius: FOG"))).url;
    await until("both clients are back after the compatible change", open(clients, 2));
    const after = await roomInfo(url, roomId);
    expect(after.phase).toBe("playing");
    // The new welcome's lastSeq is what the restored record holds for the player.
    for (const [i, c] of clients.entries()) expect(c.session.client.welcome?.lastSeq ?? 0, "the match resumed from its stored record").toBeGreaterThanOrEqual(acked[i] ?? 1);
    expect(after.players.map((p) => p.id).sort()).toEqual(before.players.map((p) => p.id).sort());
    // Steering towards the farther wall from where the restored record left them: each keeps moving that way.
    const way = clients.map(inward);
    await play(clients, (c) => way[clients.indexOf(c)] ?? 1);
    const from = clients.map(xOf);
    await until("both players move on", () => clients.every((c, i) => (xOf(c) - (from[i] ?? 0)) * (way[i] ?? 1) >= 40), 10_000);
    // Drift slowly (1 unit a tick, far from the walls): every tick changes each player's view, so what each
    // client holds when the server stops is the room's latest version.
    await play(clients, (c) => 0.05 * inward(c));
    for (const c of clients) expect(c.ends).toEqual([]);
  }, 180_000);

  it("(c) continues with the migrated state after a version bump with migrate", async () => {
    const url = (await restartWith(() => (project as Project).edit(GAME, OWN, MIGRATE))).url;
    await until("both clients are back after the migration", open(clients, 3));
    // A newcomer's snapshot shows what the room holds: the state its migrate returned.
    const cat = await connect(url, roomId, "cat");
    try {
      expect(cat.session.view?.game?.obstacles).toEqual({ migrated: { x: 7, y: 7 } });
      expect(cat.session.view?.game?.scores["red"]).toBeGreaterThanOrEqual(777);
    } finally {
      cat.session.leave();
    }
    expect((await roomInfo(url, roomId)).phase).toBe("playing");
    // The clients that came back must hold that state too, not the view from before the restart (a client that
    // held the record's latest version would otherwise be told it missed nothing: test/worker/room/migrate-resume.test.ts).
    await until("the resumed clients hold the migrated state", () => clients.every((c) => c.session.view?.game?.obstacles["migrated"] !== undefined), 10_000);
    await play(clients, 1);
  }, 180_000);

  it("(b) ends the match as incompatible, typed, after a version bump without migrate", async () => {
    const url = (await restartWith(() => (project as Project).edit(GAME, MIGRATE, "version: 4,\n"))).url;
    await until("both clients hear the match ended as incompatible", () => clients.every((c) => c.ends.includes("incompatible")));
    expect((await roomInfo(url, roomId)).phase).toBe("ended");
    // A move after the end is refused with a typed error, not run through the new rules.
    for (const { session } of clients) session.send("input", { dx: 0, dy: 1 });
    await until("the moves after the end are refused", () => clients.every((c) => c.errors.some((e) => e.code === "match_ended")));
    for (const c of clients) expect(c.ends).toEqual(["incompatible"]);
    expect((server as DevServer).log()).toContain("cannot run under version 4");
    timings["total"] = (Date.now() - t0) / 1000;
  }, 180_000);

  it("never failed an action and never threw in a tick", () => {
    for (const c of clients) expect(c.errors.filter((e) => e.code === "action_failed"), "no action failed").toEqual([]);
    expect((server as DevServer).log()).not.toContain("tick threw");
  });
});
