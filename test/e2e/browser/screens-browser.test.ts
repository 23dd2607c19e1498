// The arena and battleship screens at desktop, phone portrait and phone landscape: what fits the viewport, who is
// shown, how soon latency reads, that fogged players start in sight, and a notice when someone drops.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shownPlayer, type ArenaView } from "../../../src/games/arena.ts";
import type { BattleshipView } from "../../../src/games/battleship.ts";
import { browserSuite } from "../kit/suites.ts";
import { ConsoleErrors, openAs, outsideViewport, screenOf, until, type Size } from "../kit/screen-checks.ts";

const gameView = <V>(page: Page) =>
  page.evaluate(() => JSON.parse(JSON.stringify((globalThis as unknown as { demo: { session?: { view?: { game: unknown } } } }).demo.session?.view?.game ?? null))) as Promise<V | null>;

describe("the canvas screens in Chromium", () => {
  const errors = new ConsoleErrors();
  const suite = browserSuite("screens-browser");

  async function fits(page: Page, size: Size, name: string, whole: readonly string[]): Promise<void> {
    await page.screenshot({ path: `${suite.shots}${name}-${size}.png` });
    expect(await outsideViewport(page, whole), `${name} at ${size}`).toEqual([]);
  }

  /** Quick play from the lobby; returns when the page shows the game, and how long after the socket opened latency read. */
  async function quickPlay(page: Page, game: string): Promise<{ playerId: string; roomId: string; latencyAfterMs: number }> {
    await page.click(`[data-quick="${game}"]`);
    const open = await until(() => screenOf(page), (s) => s.screen === game && s.status === "open", `${game} open`);
    const opened = Date.now();
    await until(() => page.locator("#latency").textContent(), (text) => /^\d+ ms$/.test(text ?? ""), "a latency value", 5_000);
    return { playerId: open.playerId ?? "", roomId: open.roomId ?? "", latencyAfterMs: Date.now() - opened };
  }

  it("arena: three sizes fit with their ping bar, fogged rivals start in sight, players at the edge are drawn whole, drops are announced", async () => {
    const ann = await openAs(suite.browser, errors, "ann", "desktop", suite.server.url);
    const bob = await openAs(suite.browser, errors, "bob", "portrait", suite.server.url);
    const carol = await openAs(suite.browser, errors, "carol", "landscape", suite.server.url);
    const a = await quickPlay(ann, "arena");
    const joinedAt = Date.now();
    const b = await quickPlay(bob, "arena");
    const c = await quickPlay(carol, "arena");
    expect(new Set([a.roomId, b.roomId, c.roomId]).size).toBe(1);
    console.log(`latency shown ${a.latencyAfterMs} / ${b.latencyAfterMs} / ${c.latencyAfterMs} ms after the socket opened (ann, bob, carol)`);
    for (const ms of [a.latencyAfterMs, b.latencyAfterMs, c.latencyAfterMs]) expect(ms).toBeLessThan(1_500);

    // Fog is on, yet the rivals see each other from the start: nobody has moved.
    const met = await until(() => gameView<ArenaView>(ann), (v) => v !== null && shownPlayer(v, b.playerId) !== undefined, "bob in ann's fogged view", 5_000);
    expect(met?.fogRadius).not.toBeNull();
    console.log(`ann (red) saw bob (blue) ${Date.now() - joinedAt} ms after joining, without moving`);

    for (const page of [ann, bob, carol]) await page.waitForSelector(`#roster [data-player="${c.playerId}"]:has-text("carol")`);
    await ann.keyboard.press("Space");
    await until(() => gameView<ArenaView>(carol), (v) => v?.ping?.by === a.playerId, "ann's ping in carol's view (same team)");
    await new Promise((resolve) => setTimeout(resolve, 400));
    const whole = ["#arena-canvas", ".ping-bar", ".hud"];
    await fits(ann, "desktop", "arena", whole);
    await fits(bob, "portrait", "arena", whole);
    await fits(carol, "landscape", "arena", whole);

    // Ann runs into the top-left corner: her dot, ring and name stay on the canvas.
    await ann.keyboard.down("ArrowLeft");
    await ann.keyboard.down("ArrowUp");
    await until(() => gameView<ArenaView>(ann), (v) => { const me = v && shownPlayer(v, a.playerId); return me?.x === 0 && me.y === 0; }, "ann in the corner", 10_000);
    await ann.keyboard.up("ArrowLeft");
    await ann.keyboard.up("ArrowUp");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const inset = await ann.evaluate(() => {
      const demo = (globalThis as unknown as { demo: { worldPoint(x: number, y: number): { x: number; y: number } } }).demo;
      const canvas = (globalThis as unknown as { document: { getElementById(id: string): { getBoundingClientRect(): { left: number; top: number; right: number; bottom: number; width: number } } } }).document.getElementById("arena-canvas");
      const box = canvas.getBoundingClientRect();
      const [low, high] = [demo.worldPoint(0, 0), demo.worldPoint(1000, 1000)];
      return { left: low.x - box.left, top: low.y - box.top, right: box.right - high.x, bottom: box.bottom - high.y, width: box.width };
    });
    // A player's radius is 16 world units (of 1000) and your ring adds 3.5 px.
    const reach = Math.max(6, (16 * inset.width) / 1000) + 3.5;
    for (const edge of [inset.left, inset.top, inset.right, inset.bottom]) expect(edge).toBeGreaterThanOrEqual(reach);
    await ann.screenshot({ path: `${suite.shots}arena-corner-desktop.png` });

    // Bob's tab closes: the others are told, and the roster counts his seat down.
    await bob.context().close();
    await ann.waitForSelector('.notice.drop:has-text("bob dropped")', { timeout: 10_000 });
    await carol.waitForSelector(`#roster [data-player="${b.playerId}"][data-presence="away"]`);
    await fits(carol, "landscape", "arena-away", whole);
    expect(errors.seen).toEqual([]);
    for (const page of [ann, carol]) await page.context().close();
  });

  it("battleship: the opponent's name on the boards and turns, a spectator in landscape sees both players, everything fits", async () => {
    const cat = await openAs(suite.browser, errors, "cat", "desktop", suite.server.url);
    const dan = await openAs(suite.browser, errors, "dan", "portrait", suite.server.url);
    const c = await quickPlay(cat, "battleship");
    const d = await quickPlay(dan, "battleship");
    expect(d.roomId).toBe(c.roomId);
    await cat.waitForSelector('#turn:has-text("Against dan")');
    await dan.waitForSelector('#turn:has-text("Against cat")');
    for (const page of [cat, dan]) await page.click("#ready");
    await until(() => gameView<BattleshipView>(cat), (v) => v?.phase === "firing", "the firing phase");
    const turn = (await gameView<BattleshipView>(cat))?.turn;
    const catTeam = (await cat.evaluate(() => (globalThis as unknown as { demo: { session?: { team?: string } } }).demo.session?.team)) ?? "";
    await cat.waitForSelector(turn === catTeam ? '#turn:has-text("fire at dan\'s waters")' : '#turn:has-text("dan\'s turn")');

    const eve = await openAs(suite.browser, errors, "eve", "landscape", suite.server.url, `/?watch=${c.roomId}`);
    await until(() => screenOf(eve), (s) => s.role === "spectator" && s.status === "open", "eve watching");
    for (const id of [c.playerId, d.playerId]) await eve.waitForSelector(`#roster [data-player="${id}"][data-presence="connected"]`);
    await eve.waitForSelector('#turn:has-text("cat (")');
    // The players see that someone watches (the room's info, asked every 5 s).
    await cat.waitForSelector('#watching:has-text("1 watching")', { timeout: 12_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fits(cat, "desktop", "battleship", [".hud"]);
    await fits(dan, "portrait", "battleship", [".hud"]);
    await fits(eve, "landscape", "battleship", [".hud"]);

    await dan.reload();
    await cat.waitForSelector('.notice.back:has-text("dan is back")', { timeout: 15_000 });
    expect(errors.seen).toEqual([]);
    for (const page of [cat, dan, eve]) await page.context().close();
  });
});
