// A game scaffolded a minute ago (`npm run new-game chase` in a scratch copy), played through the generic page by
// browsers at desktop, phone portrait and phone landscape sizes: forms, refusals, presence, the result, the copy.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshotDir } from "../kit/browser.ts";
import { TempServer } from "../kit/dev-server.ts";
import { scratchCheckout } from "../kit/scratch.ts";
import { ConsoleErrors, cuttable, openAs, outsideViewport, screenOf, sizes, until, type Size } from "../kit/screen-checks.ts";
import { CODE as SERVER_CODE } from "../../../src/worker/edge/codes.ts";
import { CODE as PAGE_CODE } from "../../../client/demo/lobby/copy.ts";

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, "../../..");
// Short, so a dropped player's seat is released within the test: the drop below lasts well under it.
const GRACE_SECONDS = 10;

const shot = (dir: string, page: Page, name: string) => page.screenshot({ path: `${dir}${name}.png` });

describe("the generic page, for a game with no client code", () => {
  let root = "";
  const errors = new ConsoleErrors();
  let server: TempServer;
  let browser: Browser;
  let shots: string;

  beforeAll(async () => {
    // The whole project, client included, with its packages linked; `client/dist` is rebuilt by wrangler there.
    root = scratchCheckout("generic-page-");
    await run(process.execPath, [join(repo, "scripts/new-game.ts"), "chase"], { cwd: root });
    expect(readFileSync(join(root, "src/games/index.ts"), "utf8")).toContain("chase");
    [server, browser, shots] = await Promise.all([TempServer.start({ RECONNECT_GRACE_SECONDS: String(GRACE_SECONDS) }, { root }), launchChromium(), screenshotDir("generic-page")]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const view = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify((globalThis as unknown as { demo: { session?: { view?: unknown } } }).demo.session?.view ?? null)) as { roster: Record<string, { name: string; presence: string }>; game: { points: Record<string, number> } } | null);
  const status = (page: Page) => page.locator('form[data-action="score"] .af-status').textContent();

  type TagPlayer = { x: number; y: number; dx: number; lag: number };
  const tagPlayer = (page: Page, id: string) => page.evaluate((id) => (globalThis as unknown as { demo: { session?: { view?: { game?: { players: Record<string, TagPlayer> } } } } }).demo.session?.view?.game?.players[id], id);

  /** Holds `key` down and counts the field's drawn frames until `id`'s dot moves (x), from the frame before the key. */
  async function drawnAfterKey(page: Page, id: string, key: string): Promise<{ frames: number; ms: number; moved: number }> {
    // Resolves once a frame has drawn the dot where it stands, so the key comes after it.
    await page.evaluate(({ id, key }) => new Promise<void>((drawn) => {
      type Hooks = { onDraw?: (at: number, players: Record<string, { x: number }>) => void };
      const demo = (globalThis as unknown as { demo: Hooks }).demo;
      const box = globalThis as unknown as { moved?: Promise<{ frames: number; ms: number; moved: number }> };
      box.moved = new Promise((resolve, reject) => {
        let from: number | undefined;
        let pressed: { at: number; frames: number } | undefined;
        (globalThis as unknown as EventTarget).addEventListener("keydown", (event) => (event as Event & { code: string }).code === key && (pressed ??= { at: performance.now(), frames: 0 }));
        setTimeout(() => reject(new Error(`${id} never moved after ${key}`)), 5_000);
        demo.onDraw = (at, players) => {
          const x = players[id]?.x;
          if (!pressed) return void ((from = x) !== undefined && drawn());
          pressed.frames += 1;
          if (x === undefined || from === undefined || x === from) return;
          demo.onDraw = undefined;
          resolve({ frames: pressed.frames, ms: at - pressed.at, moved: x - from });
        };
      });
    }), { id, key });
    await page.keyboard.down(key);
    return page.evaluate(() => (globalThis as unknown as { moved: Promise<{ frames: number; ms: number; moved: number }> }).moved);
  }

  async function score(page: Page, by: string, expected: RegExp): Promise<string> {
    await page.fill("#action-score-by", by);
    const before = (await status(page)) ?? "";
    await page.click('form[data-action="score"] button[type="submit"]');
    return until(async () => (await status(page)) ?? "", (text) => text !== before && expected.test(text), `the answer to score ${by}`);
  }

  async function fits(page: Page, size: Size, name: string): Promise<void> {
    await shot(shots, page, `${name}-${size}`);
    expect(await outsideViewport(page, [".hud"]), `${name} at ${size}`).toEqual([]);
  }

  it("lists chase in the lobby, plays it from the generated form in three browsers, shows refusals, presence and the result", async () => {
    const ann = await openAs(browser, errors, "ann", "desktop", server.url);
    await ann.waitForSelector('[data-game="chase"] [data-quick="chase"]');
    await fits(ann, "desktop", "lobby");
    await ann.click('[data-quick="chase"]');
    const annIn = await until(() => screenOf(ann), (s) => s.screen === "chase" && s.generic && s.status === "open", "ann on chase's generic page");
    // Chase has no prediction rule, so no field.
    expect(await ann.locator("#field-panel").isHidden()).toBe(true);
    expect(new URL(ann.url()).pathname).toBe("/play/chase");

    const bobContext = await browser.newContext(sizes.portrait);
    const bobNet = await cuttable(bobContext);
    const bob = errors.watch("bob", await bobContext.newPage());
    await bob.goto(`${server.url}/`);
    await bob.fill("#name", "bob");
    await bob.goto(`${server.url}/play/chase`);
    const bobIn = await until(() => screenOf(bob), (s) => s.generic && s.status === "open", "bob on the page by its address");
    expect(bobIn.roomId).toBe(annIn.roomId);
    const [annId, bobId] = [annIn.playerId ?? "", bobIn.playerId ?? ""];

    // People: ann is told bob joined, and both rosters list both names.
    await ann.waitForSelector('.notice.join:has-text("bob joined")');
    for (const page of [ann, bob]) {
      await page.waitForSelector(`#roster [data-player="${bobId}"][data-presence="connected"]`);
      await page.waitForSelector(`#roster [data-player="${annId}"]:has-text("ann")`);
    }

    // An action from the generated form: applied, in both views, and the changed row is marked in ann's tree.
    expect(await score(ann, "3", /^Applied #1$/)).toBe("Applied #1");
    await until(() => view(bob), (v) => v?.game.points[annId] === 3, "ann's 3 points in bob's view");
    const row = ann.locator(`#view-tree [data-path="/points/${annId}"]`);
    expect(await row.textContent()).toContain("3");
    expect(await row.getAttribute("class")).toContain("vt-changed");
    expect(await ann.locator("#view-changes").textContent()).toContain(`/points/${annId}`);

    // Refusals, typed: a payload outside the schema, and a move the rules refuse.
    expect(await score(bob, "7", /Refused/)).toMatch(/^Refused #1: .*\(invalid_payload\)$/);
    await score(ann, "3", /Applied #2/);
    await score(ann, "3", /Applied #3/);
    expect(await score(ann, "3", /Refused/)).toBe("Refused #4: over target (rejected)");
    await until(() => view(ann), (v) => v?.game.points[annId] === 9, "ann at 9 points");

    const carol = await openAs(browser, errors, "carol", "landscape", server.url, "/play/chase");
    await until(() => screenOf(carol), (s) => s.generic && s.status === "open" && s.roomId === annIn.roomId, "carol in the same room");
    await ann.waitForSelector('.notice.join:has-text("carol joined")');
    await fits(ann, "desktop", "generic");
    await fits(bob, "portrait", "generic");
    await fits(carol, "landscape", "generic");

    // Bob's network drops: ann sees him away with the seat's countdown, then back.
    await bobNet.cut(2_500);
    await ann.waitForSelector(`.notice.drop:has-text("bob dropped")`, { timeout: 10_000 });
    const away = await ann.locator(`#roster [data-player="${bobId}"][data-presence="away"] .presence`).textContent({ timeout: 5_000 });
    expect(away).toMatch(/^away · \d+ s$/);
    expect(Number(/(\d+) s/.exec(away ?? "")?.[1])).toBeLessThanOrEqual(GRACE_SECONDS);
    await fits(ann, "desktop", "generic-away");
    await carol.waitForSelector(`#roster [data-player="${bobId}"][data-presence="away"]`);
    await fits(carol, "landscape", "generic-away");
    await ann.waitForSelector(`.notice.back:has-text("bob is back")`, { timeout: 15_000 });
    await ann.waitForSelector(`#roster [data-player="${bobId}"][data-presence="connected"]`);
    expect((await screenOf(bob)).playerId).toBe(bobId);

    // The result: ann reaches the target.
    await score(ann, "1", /Applied/);
    await ann.waitForSelector('#generic-result:not([hidden]) h2:has-text("You won")');
    await bob.waitForSelector('#generic-result:not([hidden]) h2:has-text("ann won")');
    await carol.waitForSelector('#generic-result:not([hidden])');
    await fits(ann, "desktop", "generic-result");
    await fits(bob, "portrait", "generic-result");
    await fits(carol, "landscape", "generic-result");
    expect(errors.seen).toEqual([]);
    for (const page of [ann, bob, carol]) await page.context().close();
  });

  it("checks a malformed code in the page, says plainly when no room has a code, and names the games for an unknown /play address", async () => {
    const dan = await openAs(browser, errors, "dan", "portrait", server.url);
    const asked: string[] = [];
    dan.on("request", (request) => request.url().includes("/api/private/") && asked.push(request.url()));
    await dan.fill("#join-code", "ab1");
    await dan.click("#join-code-go");
    expect(await dan.locator("#join-code-error").textContent()).toBe('A room code has 6 characters; "AB1" has 3.');
    // Said where the player is looking: in view beside the field, not at the top of a scrolled phone page.
    const said = await dan.locator("#join-code-error").boundingBox();
    expect(said && said.y >= 0 && said.y + said.height <= sizes.portrait.viewport.height).toBe(true);
    await dan.fill("#join-code", "ABCDE1");
    await dan.click("#join-code-go");
    expect(await dan.locator("#join-code-error").textContent()).toContain("without I, L and O, and the digits 2–9");
    expect(asked).toEqual([]);
    await fits(dan, "portrait", "lobby-code-error");

    await dan.fill("#join-code", "ABC234");
    await dan.click("#join-code-go");
    await dan.waitForSelector('#join-code-error:has-text("No room uses the code ABC234")');
    expect(await dan.locator("#join-code-error").textContent()).not.toContain("under that id");
    expect(asked).toHaveLength(1);
    // The browser itself logs the 404 this refusal arrives with; that line, and only it, is expected here.
    const refused = errors.seen.filter((line) => /^dan: Failed to load resource: .* 404/.test(line));
    expect(refused).toHaveLength(1);
    errors.seen.splice(errors.seen.indexOf(refused[0] ?? ""), 1);

    await dan.goto(`${server.url}/play/nope`);
    await dan.waitForSelector('#lobby-error:has-text("No game called \\"nope\\"")');
    expect(await dan.locator("#lobby-error").textContent()).toContain("chase");
    expect(errors.seen).toEqual([]);
    await dan.context().close();
  });

  it("rejoins a room whose seat was given up with a fresh seat, and no failed WebSocket in the console", async () => {
    const erin = await openAs(browser, errors, "erin", "desktop", server.url, "/play/chase");
    const first = await until(() => screenOf(erin), (s) => s.generic && s.status === "open", "erin seated");
    const saved = await erin.evaluate(() => sessionStorage.getItem("game-room.seat"));
    expect(saved).toContain(first.playerId ?? "?");
    const address = erin.url();
    const hal = await openAs(browser, errors, "hal", "landscape", server.url, `/play/chase?room=${first.roomId}`);
    await hal.waitForSelector(`#roster [data-player="${first.playerId}"][data-presence="connected"]`);
    await erin.context().close();

    // Hal watches erin drop, then lose her seat when the grace period runs out.
    await hal.waitForSelector('.notice.drop:has-text("erin dropped")', { timeout: 10_000 });
    await hal.waitForSelector('.notice.left:has-text("erin left")', { timeout: (GRACE_SECONDS + 10) * 1000 });
    await hal.waitForSelector(`#roster [data-player="${first.playerId}"][data-presence="left"]`);
    await fits(hal, "landscape", "generic-left");
    const context = await browser.newContext(sizes.desktop);
    // The same tab coming back: its session storage still holds the seat's token.
    await context.addInitScript((seat) => (sessionStorage.setItem("game-room.seat", seat), localStorage.setItem("game-room.name", "erin")), saved ?? "");
    const back = errors.watch("erin again", await context.newPage());
    await back.goto(address);
    const again = await until(() => screenOf(back), (s) => s.generic && s.status === "open", "erin back in the room");
    expect(again.roomId).toBe(first.roomId);
    expect(again.playerId).not.toBe(first.playerId);
    await hal.waitForSelector('.notice.join:has-text("erin joined")');
    expect(errors.seen).toEqual([]);
    await context.close();
    await hal.context().close();
  });

  it("shows a private room's code large while its creator waits alone, one line after Hide, and a friend joins by it", async () => {
    const fay = await openAs(browser, errors, "fay", "portrait", server.url);
    await fay.click('[data-create="chase"]');
    const made = await until(() => screenOf(fay), (s) => s.generic && s.status === "open", "fay in her private room");
    const code = (await fay.locator("#code").textContent()) ?? "";
    expect(code).toMatch(PAGE_CODE);
    expect(await fay.locator("#share").getAttribute("class")).toContain("waiting");
    await fits(fay, "portrait", "share-waiting");
    await fay.click("#share-hide");
    expect(await fay.locator("#share").getAttribute("class")).not.toContain("waiting");
    await fits(fay, "portrait", "share-hidden");

    const gus = await openAs(browser, errors, "gus", "landscape", server.url);
    await gus.fill("#join-code", code.toLowerCase());
    await gus.click("#join-code-go");
    const joined = await until(() => screenOf(gus), (s) => s.generic && s.status === "open", "gus in fay's room by its code");
    expect(joined.roomId).toBe(made.roomId);
    await fay.waitForSelector('.notice.join:has-text("gus joined")');
    expect(errors.seen).toEqual([]);
    for (const page of [fay, gus]) await page.context().close();
  });

  it("plays tag, a realtime game, from its forms and its field: a key moves your own dot at once and sends tag's lag, a finger steers", async () => {
    const ivy = await openAs(browser, errors, "ivy", "desktop", server.url, "/play/tag");
    const a = await until(() => screenOf(ivy), (s) => s.generic && s.status === "open", "ivy in tag");
    const jon = await openAs(browser, errors, "jon", "portrait", server.url, "/play/tag");
    await until(() => screenOf(jon), (s) => s.generic && s.status === "open" && s.roomId === a.roomId, "jon in ivy's room");
    const me = a.playerId ?? "";
    const xOf = async () => Number(await jon.locator(`#view-tree [data-path="/players/${a.playerId}/x"] .vt-val`).textContent());
    const before = await xOf();
    await ivy.fill("#action-input-dx", before < 300 ? "1" : "-1");
    await ivy.fill("#action-input-dy", "0");
    await ivy.click('form[data-action="input"] button[type="submit"]');
    await ivy.waitForSelector('form[data-action="input"] .af-status:has-text("Applied #1")');
    await until(xOf, (x) => Math.abs(x - before) > 50, "ivy moving in jon's tree", 5_000);
    expect(await jon.locator(`#view-tree [data-path="/players/${a.playerId}/x"]`).getAttribute("class")).toContain("vt-changed");

    // The field: tag has a prediction rule, so both pages draw it; ivy stops from the form, then steers with a key.
    for (const page of [ivy, jon]) await page.waitForSelector("#field-panel:not([hidden]) #field-canvas");
    await ivy.fill("#action-input-dx", "0");
    await ivy.click('form[data-action="input"] button[type="submit"]');
    await ivy.waitForSelector('form[data-action="input"] .af-status:has-text("Applied #2")');
    await until(() => tagPlayer(ivy, me), (p) => p?.dx === 0, "ivy stopped in her view", 5_000);
    await ivy.waitForTimeout(500);
    // The form's button has the focus; the field's keys go to the page.
    await ivy.locator('form[data-action="input"] button[type="submit"]').blur();
    const key = ((await tagPlayer(ivy, me))?.x ?? 0) < 300 ? "ArrowRight" : "ArrowLeft";
    const predicted = await drawnAfterKey(ivy, me, key);
    // Drawn on the first frame after the key (a second one allowed for a frame already under way): no round trip.
    expect(predicted.frames, JSON.stringify(predicted)).toBeLessThanOrEqual(2);
    expect(Math.sign(predicted.moved)).toBe(key === "ArrowRight" ? 1 : -1);
    await ivy.waitForTimeout(300);
    await ivy.keyboard.up(key);
    // The input the keys sent is tag's own, with how far behind ivy's screen shows the others (interpolation on: at least a tick).
    const sent = await until(() => tagPlayer(ivy, me), (p) => p !== undefined && p.lag >= 1 && p.dx === 0, "the key's input with its lag in ivy's view", 5_000);
    expect(sent?.lag).toBeLessThanOrEqual(8);
    const jonLag = async () => Number(await jon.locator(`#view-tree [data-path="/players/${me}/lag"] .vt-val`).textContent());
    await until(jonLag, (lag) => lag === sent?.lag, "ivy's lag in jon's tree", 5_000);
    // The toggles are the netcode's: prediction off, the same key waits for the room.
    await ivy.click("#field-predict");
    expect(await ivy.evaluate(() => (globalThis as unknown as { demo: { netcode?: { options: { predict: boolean } } } }).demo.netcode?.options.predict)).toBe(false);
    const unpredicted = await drawnAfterKey(ivy, me, key === "ArrowRight" ? "ArrowLeft" : "ArrowRight");
    await ivy.keyboard.up(key === "ArrowRight" ? "ArrowLeft" : "ArrowRight");
    console.log(`tag field: key to drawn move, prediction on ${predicted.frames} frames / ${predicted.ms.toFixed(1)} ms, off ${unpredicted.frames} frames / ${unpredicted.ms.toFixed(1)} ms`);
    await ivy.click("#field-predict");
    // Jon, on a phone, steers by holding a finger on the field: from his dot toward the middle, then lets go.
    const jonId = (await screenOf(jon)).playerId ?? "";
    const jonAt = await until(() => tagPlayer(jon, jonId), (p) => p !== undefined, "jon in his view");
    const toward = (jonAt?.x ?? 0) < 300 ? 1 : -1;
    const onScreen = (x: number, y: number) => jon.evaluate(([x, y]) => (globalThis as unknown as { demo: { worldPoint(x: number, y: number): { x: number; y: number } } }).demo.worldPoint(x, y), [x, y] as const);
    const [from, to] = [await onScreen(jonAt?.x ?? 0, jonAt?.y ?? 0), await onScreen((jonAt?.x ?? 0) + toward * 200, jonAt?.y ?? 0)];
    await jon.mouse.move(from.x, from.y);
    await jon.mouse.down();
    await jon.mouse.move(to.x, to.y, { steps: 5 });
    await until(() => tagPlayer(jon, jonId), (p) => p !== undefined && Math.sign(p.dx) === toward && p.lag >= 1, "jon steering by the pointer", 5_000);
    await jon.mouse.up();
    await until(() => tagPlayer(jon, jonId), (p) => p?.dx === 0, "jon stopped on letting go", 5_000);

    // The clicks scrolled ivy's page to the toggles: the shot shows it from the top, as it opens.
    await ivy.locator(".hud").scrollIntoViewIfNeeded();
    await fits(ivy, "desktop", "generic-tag");
    await fits(jon, "portrait", "generic-tag");
    expect(errors.seen).toEqual([]);
    for (const page of [ivy, jon]) await page.context().close();
  });

  it("keeps the page's code check equal to the server's", () => {
    expect(PAGE_CODE.source).toBe(SERVER_CODE.source);
  });
});
