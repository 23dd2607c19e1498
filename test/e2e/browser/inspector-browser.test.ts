// The dev inspector in Chromium against `wrangler dev --var INSPECTOR:on`: a live arena and a battleship match, every audience checked.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { RoomClient } from "../../../client/sdk/room-client.ts";
import type { battleship } from "../../../src/games/battleship.ts";
import { browserSuite } from "../kit/suites.ts";
import { Bot, createRoom, join, sleep } from "../kit/dev-server.ts";

/** What the page exposes as `window.inspector` (see client/inspector/main.ts). */
interface InspectorState {
  readonly roomId: string | undefined;
  readonly status: string | undefined;
  readonly game: string | undefined;
  readonly allMatch: boolean;
  readonly audiences: readonly { key: string; version: number; equal: boolean; messages: number; bytes: number }[];
  readonly serverAudiences: readonly string[];
}

const viewport = { width: 1600, height: 1000 };
const AUDIENCES = ["spectator", "team:blue", "team:red"];

const stateOf = (page: Page): Promise<InspectorState> =>
  page.evaluate(() => JSON.parse(JSON.stringify((globalThis as unknown as { inspector: unknown }).inspector)) as InspectorState);

async function waitFor(page: Page, check: (s: InspectorState) => boolean, what: string, ms = 20_000): Promise<InspectorState> {
  const end = Date.now() + ms;
  for (;;) {
    const state = await stateOf(page);
    if (check(state)) return state;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state)}`);
    await sleep(100);
  }
}

describe("the dev inspector in Chromium", () => {
  const suite = browserSuite("inspector-browser", { INSPECTOR: "on" });
  const pageErrors: string[] = [];

  async function open(path: string): Promise<Page> {
    const page = await (await suite.browser.newContext({ viewport })).newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${suite.server.url}${path}`);
    return page;
  }

  it("shows a live arena room with two bots: every audience's held view equals the server's, with its stream", async () => {
    const roomId = await createRoom(suite.server.url, "arena");
    const bots = [await Bot.connect(await join(suite.server.url, roomId, "ann")), await Bot.connect(await join(suite.server.url, roomId, "bob"))];
    let step = 0;
    const steering = setInterval(() => {
      step += 1;
      bots[0]?.input(Math.sign(Math.sin(step / 7)), 1);
      bots[1]?.input(-1, Math.sign(Math.cos(step / 5)));
    }, 100);
    try {
      // The README's address, without the trailing slash.
      const page = await open(`/inspect?room=${roomId}`);
      const state = await waitFor(
        page,
        (s) => s.status === "open" && s.allMatch && s.audiences.length === 3 && s.audiences.some((a) => a.key.startsWith("team:") && a.messages > 20),
        "three matching audiences with a live stream",
      );
      expect(state.game).toBe("arena");
      expect(state.audiences.map((a) => a.key).sort()).toEqual(AUDIENCES);
      expect([...state.serverAudiences].sort()).toEqual(AUDIENCES);
      // The list shows the room (public, from the arena matchmaker), marked as the one inspected.
      await page.waitForSelector(`.room-row.selected[data-room="${roomId}"]`, { timeout: 10_000 });
      await sleep(1500);
      expect((await stateOf(page)).allMatch).toBe(true);
      await page.screenshot({ path: `${suite.shots}arena.png` });
      await page.screenshot({ path: `${suite.shots}arena-full.png`, fullPage: true });
      await page.context().close();
    } finally {
      clearInterval(steering);
      for (const bot of bots) bot.close();
    }
  });

  it("shows a battleship match between two players in the firing phase, with matching team and spectator views", async () => {
    const roomId = await createRoom(suite.server.url, "battleship", "quick");
    const players = await Promise.all(
      ["cat", "dan"].map(async (name) => {
        const client = new RoomClient<typeof battleship>((await join(suite.server.url, roomId, name)).wsUrl);
        for (const end = Date.now() + 10_000; !client.view; await sleep(20)) if (Date.now() > end) throw new Error(`${name} got no view`);
        return client;
      }),
    );
    for (const client of players) {
      client.send("shuffle", {});
      client.send("ready", {});
    }
    const turnOf = () => players[0]?.view?.game?.turn;
    for (const end = Date.now() + 10_000; !turnOf(); await sleep(20)) if (Date.now() > end) throw new Error("firing never started");
    const shooter = players.find((client) => client.welcome?.team === turnOf());
    shooter?.send("fire", { x: 2, y: 3 });
    for (const end = Date.now() + 10_000; !players[0]?.view?.game?.lastShot; await sleep(20)) if (Date.now() > end) throw new Error("no shot");

    const page = await open(`/inspect/?room=${roomId}`);
    const state = await waitFor(page, (s) => s.status === "open" && s.allMatch && s.audiences.length === 3, "three matching audiences");
    expect(state.game).toBe("battleship");
    expect(state.audiences.map((a) => a.key).sort()).toEqual(AUDIENCES);
    // Another shot while the page watches: it arrives as a patch on every audience and still matches.
    const next = players.find((client) => client.welcome?.team === turnOf());
    next?.send("fire", { x: 4, y: 1 });
    const after = await waitFor(page, (s) => s.allMatch && s.audiences.every((a) => a.messages > 0), "the second shot on every audience");
    expect(after.audiences.every((a) => a.equal)).toBe(true);
    await sleep(1200);
    await page.screenshot({ path: `${suite.shots}battleship.png` });
    await page.screenshot({ path: `${suite.shots}battleship-full.png`, fullPage: true });
    for (const client of players) client.close();

    // Without a room: the list of every game's rooms and the field to open one by id.
    const list = await open("/inspect/");
    await list.waitForSelector(`.room-row[data-room="${roomId}"]`, { timeout: 10_000 });
    await list.screenshot({ path: `${suite.shots}room-list.png` });
    expect(pageErrors).toEqual([]);
    await list.context().close();
    await page.context().close();
  });
});
