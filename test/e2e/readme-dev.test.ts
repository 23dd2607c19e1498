// The README's `npm run dev` serves the demo page and the API on 127.0.0.1:8787, and a room is playable.
import { afterAll, describe, expect, it } from "vitest";
import { Bot, createRoom, join, startDevServer, type DevServer } from "./dev-server.ts";

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
    expect(await page.text()).toContain('<canvas id="arena"');
    expect((await fetch(`${server.url}/main.js`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ ok: true });

    const roomId = await createRoom(server.url, "arena");
    const bot = await Bot.connect(await join(server.url, roomId, "ann"));
    const seq = bot.input(1, 0);
    await bot.until(() => bot.client.acked.has(seq) && bot.lastInput >= seq);
    bot.close();
  });
});
