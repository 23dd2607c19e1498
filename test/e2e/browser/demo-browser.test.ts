// The demo in a real Chromium against `wrangler dev`: compressed frames, arena fog between two players, battleship to a hit, reload, spectating.
import { readFile } from "node:fs/promises";
import type { RoomView } from "../../../src/engine/updates/views.ts";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { cellPoint, demoState, waitForDemo, type DemoState } from "../kit/browser.ts";
import { browserSuite } from "../kit/suites.ts";
import { shownPlayer, type ArenaView } from "../../../src/games/arena.ts";
import type { BattleshipView } from "../../../src/games/battleship.ts";
import type { TagState } from "../../../src/games/tag.ts";

const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };
const arenaOf = (state: DemoState) => state.view?.game as ArenaView | undefined;
const shipsOf = (state: DemoState) => state.view?.game as BattleshipView | undefined;
const distance = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

describe("the demo in Chromium", () => {
  const suite = browserSuite("demo-browser");
  const pageErrors: string[] = [];

  async function open(name: string, viewport = desktop, path = "/"): Promise<Page> {
    const context = await suite.browser.newContext({ viewport });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${name}: ${error.message}`));
    await page.goto(`${suite.server.url}${path}`);
    if (path === "/") await page.fill("#name", name);
    return page;
  }

  const playing = (screen: DemoState["screen"]) => (s: DemoState) => s.screen === screen && s.status === "open" && s.view !== undefined;

  /** Hold exactly the arrow keys that point along (dx, dy). */
  async function steer(page: Page, held: Set<string>, dx: number, dy: number): Promise<void> {
    const want = new Set([dx < 0 ? "ArrowLeft" : dx > 0 ? "ArrowRight" : "", dy < 0 ? "ArrowUp" : dy > 0 ? "ArrowDown" : ""].filter(Boolean));
    for (const key of [...held]) if (!want.has(key)) (await page.keyboard.up(key), held.delete(key));
    for (const key of want) if (!held.has(key)) (await page.keyboard.down(key), held.add(key));
  }

  it("Chromium reads the room's compressed frames: a binary welcome and snapshot the SDK's frameText inflates", async () => {
    const page = await open("probe", desktop, "/");
    const seen = await page.evaluate(async (origin) => {
      type Sdk = { quickPlay(server: string, game: string, name: string): Promise<{ url: string }>; frameText(frame: ArrayBuffer): Promise<string> };
      const { demo } = globalThis as unknown as { demo: { sdk: Sdk } };
      const seat = await demo.sdk.quickPlay(origin, "tag", "probe");
      const ws = new WebSocket(seat.url);
      ws.binaryType = "arraybuffer";
      const messages: { binary: boolean; text: string }[] = [];
      const snapshot = new Promise<void>((resolve) => {
        ws.onmessage = async (event: MessageEvent) => {
          const binary = event.data instanceof ArrayBuffer;
          const text = binary ? await demo.sdk.frameText(event.data as ArrayBuffer) : String(event.data);
          messages.push({ binary, text });
          if (text.startsWith('{"type":"snapshot"')) resolve();
        };
      });
      await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
      await snapshot;
      // Leave for good, so the probe's seat is free at once for the tests after this one (a close would hold it).
      const closed = new Promise((resolve) => (ws.onclose = resolve));
      ws.send(JSON.stringify({ type: "leave" }));
      await closed;
      return { url: seat.url, messages };
    }, suite.server.url);
    expect(seen.url).toContain("frames=deflate");
    const welcome = seen.messages.find((message) => message.text.startsWith('{"type":"welcome"'));
    const snapshot = seen.messages.find((message) => message.text.startsWith('{"type":"snapshot"'));
    expect(welcome?.binary).toBe(true);
    expect(snapshot?.binary).toBe(true);
    // A player's snapshot carries its own ack in the frame's suffix.
    expect(JSON.parse(snapshot?.text ?? "{}")).toMatchObject({ type: "snapshot", ack: 0 });
    await page.context().close();
  });

  it("arena: two players quick-play into one room and each sees the other only within fog range; pings stay in the team", async () => {
    const ann = await open("ann");
    const bob = await open("bob", phone);
    await ann.screenshot({ path: `${suite.shots}lobby-desktop.png` });
    await ann.click('[data-quick="arena"]');
    const annStart = await waitForDemo(ann, playing("arena"), "ann in the arena");
    // Bob's lobby lists ann's room (it refreshes every few seconds).
    await bob.waitForSelector(`[data-room="${annStart.roomId}"]`, { timeout: 15_000 });
    await bob.screenshot({ path: `${suite.shots}lobby-phone.png` });
    await bob.click('[data-quick="arena"]');
    const bobStart = await waitForDemo(bob, playing("arena"), "bob in the arena");
    expect(bobStart.roomId).toBe(annStart.roomId);
    expect(bobStart.team).not.toBe(annStart.team);
    const annId = annStart.playerId ?? "";
    const bobId = bobStart.playerId ?? "";
    const radius = arenaOf(annStart)?.fogRadius ?? 0;
    expect(radius).toBeGreaterThan(0);

    const annKeys = new Set<string>();
    const bobKeys = new Set<string>();
    // Every observation checks the fog rule: in view means within range (same state, exact); out of view means
    // out of range, judged against the other page's own position, which may be a tick or two apart.
    const slack = 200 * 0.3;
    const sightings = { near: 0, far: 0 };
    async function observe(): Promise<{ annSeesBob: boolean; bobSeesAnn: boolean }> {
      const [a, b] = [arenaOf(await demoState(ann)), arenaOf(await demoState(bob))];
      const [annSelf, bobSelf] = [a && shownPlayer(a, annId), b && shownPlayer(b, bobId)];
      if (!a || !b || !annSelf || !bobSelf) throw new Error("a player is missing from its own view");
      for (const [view, self, otherId, other] of [[a, annSelf, bobId, bobSelf], [b, bobSelf, annId, annSelf]] as const) {
        const seen = shownPlayer(view, otherId);
        if (seen) expect(distance(self, seen)).toBeLessThanOrEqual(radius);
        else expect(distance(self, other)).toBeGreaterThan(radius - slack);
        sightings[seen ? "near" : "far"] += 1;
      }
      return { annSeesBob: shownPlayer(a, bobId) !== undefined, bobSeesAnn: shownPlayer(b, annId) !== undefined };
    }

    // Apart: ann to the top-left corner, bob to the bottom-right, until neither sees the other.
    await steer(ann, annKeys, -1, -1);
    await steer(bob, bobKeys, 1, 1);
    const apartBy = Date.now() + 15_000;
    for (let seen = await observe(); seen.annSeesBob || seen.bobSeesAnn; seen = await observe()) {
      if (Date.now() > apartBy) throw new Error("players never lost sight of each other");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await steer(bob, bobKeys, 0, 0);
    await ann.screenshot({ path: `${suite.shots}arena-apart-ann.png` });
    await bob.screenshot({ path: `${suite.shots}arena-apart-bob-phone.png` });

    // Together: ann walks at bob until both see each other.
    const togetherBy = Date.now() + 20_000;
    for (let seen = await observe(); !(seen.annSeesBob && seen.bobSeesAnn); seen = await observe()) {
      if (Date.now() > togetherBy) throw new Error("players never came into sight");
      const [annView, bobView] = [arenaOf(await demoState(ann)), arenaOf(await demoState(bob))];
      const [a, b] = [annView && shownPlayer(annView, annId), bobView && shownPlayer(bobView, bobId)];
      if (a && b) await steer(ann, annKeys, Math.sign(Math.round(b.x - a.x)), Math.sign(Math.round(b.y - a.y)));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await steer(ann, annKeys, 0, 0);
    expect(sightings.near).toBeGreaterThan(0);
    expect(sightings.far).toBeGreaterThan(0);

    // A click on the field pings ann's team only.
    const point = await ann.evaluate(() => (globalThis as unknown as { demo: { worldPoint(x: number, y: number): { x: number; y: number } } }).demo.worldPoint(500, 500));
    await ann.mouse.click(point.x, point.y);
    await waitForDemo(ann, (s) => arenaOf(s)?.ping?.by === annId, "ann's ping in her view");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(arenaOf(await demoState(bob))?.ping).toBeNull();
    await ann.screenshot({ path: `${suite.shots}arena-together-ann.png` });
    await bob.screenshot({ path: `${suite.shots}arena-together-bob-phone.png` });

    // What a first visit costs: the bundle, and the page's load on `wrangler dev` (measured in this browser).
    const bundle = await readFile(new URL("../../../client/dist/main.js", import.meta.url));
    const load = await ann.evaluate(() => {
      // Browser timing types; this file is type-checked against Node's, which lack them.
      const timing = performance as unknown as { getEntriesByType(type: string): { domContentLoadedEventEnd: number; loadEventEnd: number; startTime: number; name: string }[] };
      const nav = timing.getEntriesByType("navigation")[0];
      const paint = timing.getEntriesByType("paint").find((entry) => entry.name === "first-contentful-paint");
      return { domContentLoadedMs: nav?.domContentLoadedEventEnd ?? -1, loadMs: nav?.loadEventEnd ?? -1, firstPaintMs: paint?.startTime ?? -1 };
    });
    console.log(`demo bundle: ${bundle.length} bytes, ${gzipSync(bundle).length} gzipped; first load: ${JSON.stringify(load)}`);
    expect(pageErrors).toEqual([]);
    for (const page of [ann, bob]) await page.context().close();
  });

  it("battleship: two players place, fire until a hit, one reloads into the same seat, and a spectator watches", async () => {
    const cat = await open("cat");
    const dan = await open("dan", phone);
    await cat.click('[data-quick="battleship"]');
    const catStart = await waitForDemo(cat, playing("battleship"), "cat at sea");
    await dan.click('[data-quick="battleship"]');
    const danStart = await waitForDemo(dan, playing("battleship"), "dan at sea");
    expect(danStart.roomId).toBe(catStart.roomId);
    for (const page of [cat, dan]) {
      await page.click("#shuffle");
      await page.click("#ready");
    }
    await waitForDemo(cat, (s) => shipsOf(s)?.phase === "firing", "the firing phase");
    await cat.screenshot({ path: `${suite.shots}battleship-firing-cat.png` });

    const players = new Map([[catStart.team, cat], [danStart.team, dan]]);
    let hit = false;
    for (let shot = 0; shot < 72 && !hit; shot++) {
      const state = await demoState(cat);
      const game = shipsOf(state);
      if (!game?.turn) throw new Error(`no turn: ${JSON.stringify(game)}`);
      const shooter = players.get(game.turn) as Page;
      const target = game.turn === catStart.team ? danStart.team : catStart.team;
      const tried = game.shots[target ?? ""] ?? {};
      const cell = Array.from({ length: game.size * game.size }, (_, i) => [i % game.size, Math.floor(i / game.size)] as const).find(([x, y]) => !tried[`${x},${y}`]);
      if (!cell) throw new Error("no cell left");
      const point = await cellPoint(shooter, "target", cell[0], cell[1]);
      await shooter.mouse.click(point.x, point.y);
      const after = await waitForDemo(cat, (s) => shipsOf(s)?.shots[target ?? ""]?.[`${cell[0]},${cell[1]}`] !== undefined, `the shot at ${cell}`);
      hit = shipsOf(after)?.lastShot?.result === "hit";
    }
    expect(hit).toBe(true);
    await cat.screenshot({ path: `${suite.shots}battleship-hit-cat.png` });
    await dan.screenshot({ path: `${suite.shots}battleship-hit-dan-phone.png` });

    // A reload mid-game comes back to the same seat, with the same board.
    const before = await demoState(dan);
    await dan.reload();
    const back = await waitForDemo(dan, playing("battleship"), "dan back after a reload");
    expect(back.playerId).toBe(before.playerId);
    expect(back.roomId).toBe(before.roomId);
    expect(shipsOf(back)?.shots).toEqual(shipsOf(before)?.shots);
    await dan.screenshot({ path: `${suite.shots}battleship-reloaded-dan-phone.png` });

    const eve = await open("eve", desktop, `/?watch=${catStart.roomId}`);
    const watching = await waitForDemo(eve, (s) => playing("battleship")(s) && s.role === "spectator", "eve watching");
    expect(shipsOf(watching)?.shots).toEqual(shipsOf(await demoState(cat))?.shots);
    await eve.screenshot({ path: `${suite.shots}battleship-spectator-eve.png` });
    expect(pageErrors).toEqual([]);
    for (const page of [cat, dan, eve]) await page.context().close();
  });

  it("runs the README's console snippet: two tabs play tag through demo.sdk", async () => {
    const readme = await readFile(new URL("../../../README.md", import.meta.url), "utf8");
    const snippet = /### 5\. Play it[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet).toContain("demo.sdk.joinGame");
    const play = (page: Page) =>
      page.evaluate(async (code) => {
        // The snippet as typed into a console: its last line is the value shown; here it is returned.
        const run = new Function(`return (async () => { ${code.replace(/\n?room\.view\s*$/, "")}; await new Promise((r) => setTimeout(r, 500)); return { roomId: room.roomId, view: room.view }; })()`);
        return JSON.parse(JSON.stringify(await run())) as { roomId: string; view: RoomView<TagState> };
      }, snippet ?? "");
    const [one, two] = [await open("tab1"), await open("tab2")];
    const first = await play(one);
    const second = await play(two);
    expect(second.roomId).toBe(first.roomId);
    expect(Object.keys(second.view.game?.players ?? {})).toHaveLength(2);
    expect(pageErrors).toEqual([]);
    for (const page of [one, two]) await page.context().close();
  });
});
