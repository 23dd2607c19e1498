// The self-host path: npm run serve's workerd serves the client and a playable room, a restart keeps the room, its acks and its alarms, and a client's address comes only from the proxy's header.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Bot, createRoom, freePort, join, roomInfo, sleep, type DevServer } from "../kit/dev-server.ts";
import { expectRecorded, playToWin } from "../kit/results-kit.ts";
import { startServe } from "../kit/workerd-server.ts";

describe("npm run serve (bare workerd)", () => {
  let server: DevServer | undefined;
  let state = "";
  let limits = "";

  afterAll(async () => {
    await server?.stop();
    for (const dir of [state, limits]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("serves the client and a room, and after a hard restart the room, its acknowledged inputs, its pending alarm and the D1 results survive", async () => {
    state = await mkdtemp(joinPath(tmpdir(), "game-room-serve-"));
    const port = await freePort();
    // A short grace, so a held seat's alarm comes due soon after the restart.
    const vars = { RECONNECT_GRACE_SECONDS: "4" };
    server = await startServe({ port, state, vars, build: true });
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect((await fetch(`${server.url}/_headers`)).status).toBe(404);

    // D1 on bare workerd (scripts/serve/d1.js): a finished match lands in both histories and the leaderboard.
    const finished = await playToWin(server.url);
    for (const client of finished.clients) client.close();
    await expectRecorded(server.url, finished);

    const roomId = await createRoom(server.url, "arena");
    const ann = await Bot.connect(await join(server.url, roomId, "ann"));
    const bob = await Bot.connect(await join(server.url, roomId, "bob"));
    // Node's WebSocket offers permessage-deflate; the room's sockets refuse it (no_web_socket_compression) and send compressed frames instead.
    expect(ann.client.socket?.extensions).toBe("");
    let sent = 0;
    for (let i = 0; i < 20; i++) {
      sent = ann.input(1, 0);
      bob.input(0, 1);
      await sleep(50);
    }
    await ann.until(() => ann.maxAcked === sent);
    // Bob drops: his seat is held for the grace, and the room's alarm is set for its end.
    bob.close();
    await sleep(300);
    const before = await roomInfo(server.url, roomId);
    expect(before.players.find((p) => p.id === bob.seat.playerId)?.presence).toBe("away");
    const acked = ann.maxAcked;
    const token = ann.client.welcome?.reconnectToken ?? "";

    server.kill("SIGKILL");
    await sleep(500);
    server = await startServe({ port, state, vars });
    // Nobody touches the room: only its stored alarm can let Bob's seat go.
    const leave = new RegExp(`room ${roomId}: alarm fired \\(leave`);
    for (let waited = 0; waited < 10_000 && !leave.test(server.log()); waited += 100) await sleep(100);
    expect(server.log()).toMatch(leave);
    // Ann comes back with her token within her own grace (the restart dropped her socket): every input she was told about is in the room.
    await expectRecorded(server.url, finished);
    const back = await Bot.connect({ ...ann.seat, wsUrl: `${server.url.replace(/^http/, "ws")}/rooms/${roomId}/ws?reconnect=${token}` });
    const after = await roomInfo(server.url, roomId);
    expect(after.tick).toBeGreaterThan(0);
    expect(after.players.map((p) => p.id)).toEqual([ann.seat.playerId]);
    expect(back.lastSeq).toBeGreaterThanOrEqual(acked);
    const next = back.client.send("input", { dx: -1, dy: 0 });
    await back.until(() => back.maxAcked >= next);
    back.close();
    ann.close();
  }, 240_000);

  it("outside DEV_MODE drops a CF-Connecting-IP the client sent (one rate-limit bucket for all), and with --client-ip-header counts each address its proxy names", async () => {
    await server?.stop();
    limits = await mkdtemp(joinPath(tmpdir(), "game-room-serve-limits-"));
    const port = await freePort();
    // Room creation allows 10 a minute per address (CREATE_LIMITER); the limiter runs before the body is read.
    const creates = (headers: (i: number) => Record<string, string>) =>
      Promise.all(Array.from({ length: 11 }, async (_, i) => (await fetch(`${server?.url}/api/rooms`, { method: "POST", headers: { "content-type": "application/json", ...headers(i) }, body: "{}" })).status));
    // Outside DEV_MODE the Worker refuses everything without a ticket secret (fail closed), limits included.
    const secrets = { TICKET_SECRET: "serve-test-secret-0123456789abcdef0123456789abcdef" };
    server = await startServe({ port, state: limits, vars: { DEV_MODE: "off" }, secrets, build: true });
    expect((await creates((i) => ({ "CF-Connecting-IP": `198.51.100.${i + 1}` }))).filter((status) => status === 429)).toHaveLength(1);
    await server.stop();
    server = await startServe({ port, state: limits, vars: { DEV_MODE: "off" }, secrets, args: ["--client-ip-header", "X-Forwarded-For"] });
    // The last address of the header is the one the proxy saw; what the client put before it is not trusted.
    expect((await creates((i) => ({ "X-Forwarded-For": `203.0.113.9, 198.51.100.${i + 1}` }))).filter((status) => status === 429)).toHaveLength(0);
    expect((await creates(() => ({ "X-Forwarded-For": "198.51.100.200", "CF-Connecting-IP": "192.0.2.1" }))).filter((status) => status === 429)).toHaveLength(1);
  }, 240_000);
});
