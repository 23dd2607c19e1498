// In Chromium, a page served from another port plays a match through the SDK when ALLOWED_ORIGINS lists it, and is blocked when not.
import { createServer, type Server } from "node:http";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchChromium } from "../kit/browser.ts";
import { track } from "../kit/cleanup.ts";
import { freePort, TempServer } from "../kit/dev-server.ts";

/** The page's script: the SDK and fixtures/cross-origin-page.ts, bundled as a game's own build would. */
async function pageScript(): Promise<string> {
  const result = await build({
    entryPoints: [new URL("../fixtures/cross-origin-page.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    target: "es2022",
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0]?.text ?? "";
}

/** A static server for the page on 127.0.0.1:port, an origin of its own; stopped after the file. */
async function servePage(port: number, script: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === "/page.js") response.writeHead(200, { "content-type": "text/javascript" }).end(script);
    else response.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>elsewhere</title><script type="module" src="/page.js"></script>`);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  track(() => new Promise((resolve) => server.close(() => resolve())));
  return server;
}

describe("a game page on another origin", () => {
  let worker: TempServer;
  let browser: Browser;
  const [listed, unlisted] = [{ port: 0, origin: "" }, { port: 0, origin: "" }];

  beforeAll(async () => {
    for (const page of [listed, unlisted]) {
      page.port = await freePort();
      page.origin = `http://127.0.0.1:${page.port}`;
    }
    const script = await pageScript();
    await Promise.all([servePage(listed.port, script), servePage(unlisted.port, script)]);
    [worker, browser] = await Promise.all([TempServer.start({ ALLOWED_ORIGINS: `https://play.example.com,${listed.origin}` }), launchChromium()]);
    console.log(`browser: ${(await chromiumPath()).from} (${(await chromiumPath()).path})`);
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
  });

  async function open(origin: string): Promise<{ page: Page; consoleErrors: string[] }> {
    const page = await (await browser.newContext()).newPage();
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => "play" in globalThis);
    return { page, consoleErrors };
  }

  it("plays tic-tac-toe to the end through the SDK when ALLOWED_ORIGINS lists the page's origin", async () => {
    const { page, consoleErrors } = await open(listed.origin);
    const outcome = await page.evaluate((server) => (globalThis as unknown as { play: (s: string) => Promise<unknown> }).play(server), worker.url);
    expect(outcome).toMatchObject({ results: [{ winner: "x" }, { winner: "x" }], board: ["x", "x", "x", "o", "o", "", "", "", ""] });
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it("is blocked by Chromium's CORS check when the origin is not listed, and the Worker refuses it", async () => {
    const { page, consoleErrors } = await open(unlisted.origin);
    const failure = await page.evaluate(
      (server) => (globalThis as unknown as { play: (s: string) => Promise<unknown> }).play(server).then(() => "played", (error: Error) => error.message),
      worker.url,
    );
    expect(failure).toBe("Failed to fetch");
    expect(consoleErrors.join("\n")).toContain("blocked by CORS policy");
    await page.context().close();
    const direct = await fetch(`${worker.url}/api/rooms`, { method: "OPTIONS", headers: { Origin: unlisted.origin, "Access-Control-Request-Method": "POST" } });
    expect(direct.status).toBe(403);
  });
});
