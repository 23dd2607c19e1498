// The README's `npm run dev` serves the demo page and the API on 127.0.0.1:8787: rooms, quick play, reconnecting.
import { afterAll, describe, expect, it } from "vitest";
import { Bot, createRoom, join, quickPlay, startDevServer, type DevServer } from "./dev-server.ts";

describe("npm run dev", () => {
  let server: DevServer | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  it("serves the demo page, the health check and a playable room on 127.0.0.1:8787", async () => {
    server = await startDevServer({ port: 8787, persistTo: "", readmeCommand: true });
    expect(server.url).toBe("http://127.0.0.1:8787");
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
});
