// The README's `npm run dev` in a scratch checkout: the port it is given, the demo and a playable room, a replay, a rule edit served live.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync, writeFileSync } from "node:fs";
import { join as joinPath } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Bot, createRoom, freePort, join, quickPlay, ROOT, roomInfo, sleep, startDevServer, type DevServer } from "../kit/dev-server.ts";
import { readmeCommand } from "../../docs/readme.ts";
import { scratchCheckout } from "../kit/scratch.ts";

const run = promisify(execFile);

/** What the room answers to one action of a fresh room of `game`: "ack" (a message, or a realtime update's `ack`) or the error's code. */
async function answerTo(url: string, game: string, action: string, payload: unknown): Promise<string> {
  const seat = await join(url, await createRoom(url, game), "probe");
  const socket = new WebSocket(seat.wsUrl);
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${action}`)), 10_000);
      socket.addEventListener("message", (event) => {
        const message = JSON.parse(String(event.data)) as { type: string; code?: string; ack?: number };
        if (message.type === "welcome") socket.send(JSON.stringify({ type: "action", seq: 1, action, payload }));
        if (message.type === "ack" || message.type === "error" || (message.ack ?? 0) >= 1) {
          clearTimeout(timer);
          resolve(message.code ?? "ack");
        }
      });
    });
  } finally {
    socket.close();
  }
}

/** A socket that answers each action it sends with the room's ack or error code. */
async function player(url: string, roomId: string, name: string): Promise<{ team: string; act: (cell: number) => Promise<string>; close: () => void }> {
  const socket = new WebSocket((await join(url, roomId, name)).wsUrl);
  const waiting: ((answer: string) => void)[] = [];
  let seq = 0;
  const team = await new Promise<string>((resolve, reject) => {
    setTimeout(() => reject(new Error(`${name} got no welcome`)), 10_000);
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { type: string; team?: string; code?: string };
      if (message.type === "welcome") resolve(message.team ?? "");
      if (message.type === "ack" || message.type === "error") waiting.shift()?.(message.code ?? "ack");
    });
  });
  const act = (cell: number) =>
    new Promise<string>((resolve) => {
      waiting.push(resolve);
      socket.send(JSON.stringify({ type: "action", seq: ++seq, action: "place", payload: { cell } }));
    });
  return { team, act, close: () => socket.close() };
}

describe("npm run dev", () => {
  const checkout = scratchCheckout("npm-run-dev-");
  let server: DevServer | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  it("serves the demo page, the health check and a playable room on the port given by `npm run dev -- --port N`", async () => {
    expect(readmeCommand(/^npm run dev -- --port \d+$/)).toBeDefined();
    const port = await freePort();
    server = await startDevServer({ port, persistTo: "", npmDev: { cwd: checkout, portVia: "flag" } });
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain(`<canvas id="arena-canvas"`);
    expect((await fetch(`${server.url}/main.js`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ ok: true });

    const roomId = await createRoom(server.url, "arena");
    const bot = await Bot.connect(await join(server.url, roomId, "ann"));
    const seq = bot.input(1, 0);
    await bot.until(() => bot.client.lastAcked >= seq && bot.lastInput >= seq);
    bot.close();
  });

  it("matches two quick-play players into one room, and a dropped player resumes in its seat", async () => {
    const url = (server as DevServer).url;
    const [ann, bob] = [await Bot.connect(await quickPlay(url, "ann")), await Bot.connect(await quickPlay(url, "bob"))];
    expect(bob.seat.roomId).toBe(ann.seat.roomId);
    expect(new Set([ann.seat.team, bob.seat.team]).size).toBe(2);
    const token = ann.client.welcome?.reconnectToken ?? "";
    const held = { view: ann.client.view, version: ann.version };
    ann.close();
    await bob.until(() => bob.client.view?.roster[ann.seat.playerId]?.presence === "away");
    const wsUrl = `${url.replace(/^http/, "ws")}/rooms/${ann.seat.roomId}/ws?reconnect=${token}&version=${held.version}`;
    const back = await Bot.connect({ ...ann.seat, wsUrl }, held);
    expect(back.client.welcome?.playerId).toBe(ann.seat.playerId);
    // Resumed with the missed patches alone: the held view catches up to seeing itself back.
    await back.until(() => back.client.view?.roster[ann.seat.playerId]?.presence === "connected");
    expect(back.gaps).toBe(0);
    await bob.until(() => bob.client.view?.roster[ann.seat.playerId]?.presence === "connected");
    back.close();
    bob.close();
  });

  it("replays a finished match under plain Node with the docs' `npm run replay`, to the final record's hash", async () => {
    const url = (server as DevServer).url;
    const roomId = await createRoom(url, "tic-tac-toe");
    const [first, second] = [await player(url, roomId, "ann"), await player(url, roomId, "bob")];
    const [x, o] = first.team === "x" ? [first, second] : [second, first];
    for (const [who, cell] of [[x, 0], [o, 3], [x, 1], [o, 4], [x, 2]] as const) expect(await who.act(cell)).toBe("ack");
    expect((await roomInfo(url, roomId)).phase).toBe("ended");
    first.close();
    second.close();

    const docs = readFileSync(joinPath(ROOT, "docs/games.md"), "utf8");
    const command = /^npm run replay -- (\S+)$/m.exec(docs);
    expect(command?.[1]).toBe("http://127.0.0.1:8787/api/rooms/ROOM_ID/replay");
    const replayUrl = (command?.[1] ?? "").replace("http://127.0.0.1:8787", url).replace("ROOM_ID", roomId);
    const { stdout } = await run("npm", ["run", "--silent", "replay", "--", replayUrl], { cwd: checkout, env: { ...process.env, PATH: `${ROOT}node_modules/.bin:${process.env.PATH ?? ""}` } });
    expect(stdout).toMatch(/^tic-tac-toe: \d+ steps to tick \d+, hash ([0-9a-f]{16}) equals the final record's \1\n$/);
  });

  it("serves a rule added to src/games/tag.ts without a restart", async () => {
    const url = (server as DevServer).url;
    expect(await answerTo(url, "tag", "boost", {})).toBe("unknown_action");
    const file = joinPath(checkout, "src/games/tag.ts");
    const source = readFileSync(file, "utf8");
    expect(source).toContain("  actions: {\n");
    writeFileSync(file, source.replace("  actions: {\n", "  actions: {\n    boost: { schema: z.strictObject({}), apply() {} },\n"));
    const edited = Date.now();
    // Bounded so a reload that never comes fails the test; how long it took is printed, not asserted.
    let answer = "";
    while (Date.now() - edited < 30_000 && (answer = await answerTo(url, "tag", "boost", {}).catch(() => "")) !== "ack") await sleep(100);
    expect(answer).toBe("ack");
    console.log(`edit to live: ${Date.now() - edited} ms (src/games/tag.ts, a new action)`);
  });
});
