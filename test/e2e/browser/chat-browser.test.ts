// The chat panel in Chromium: two teams of two talk in an arena match on every channel, a spectator sees only `all`,
// the generic page of a game whose spectators may write shows the panel too; at desktop, phone portrait and landscape.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { ChatLine } from "../../../src/protocol/messages.ts";
import { browserSuite } from "../kit/suites.ts";
import { createRoom } from "../kit/dev-server.ts";
import { ConsoleErrors, openAs, outsideViewport, screenOf, until, type Size } from "../kit/screen-checks.ts";

/** The chat lines the page's session holds. */
const linesOf = (page: Page): Promise<ChatLine[]> =>
  page.evaluate(() => JSON.parse(JSON.stringify((globalThis as unknown as { demo: { session?: { chat: { lines: unknown } } } }).demo.session?.chat.lines ?? [])) as ChatLine[]);

const texts = async (page: Page): Promise<string[]> => (await linesOf(page)).map((line) => line.text);

async function say(page: Page, channel: "all" | "team" | "whisper", text: string, to?: string): Promise<void> {
  await page.click(`#chat-tabs [data-channel="${channel}"]`);
  if (to !== undefined) await page.selectOption("#chat-to", to);
  await page.fill("#chat-input", text);
  await page.press("#chat-input", "Enter");
  await page.waitForSelector(`#chat-lines .chat-line:has-text("${text}")`);
}

describe("the chat panel in Chromium", () => {
  const errors = new ConsoleErrors();
  const suite = browserSuite("chat-browser");

  async function enter(name: string, size: Size, path: string, role: "player" | "spectator" = "player") {
    const page = await openAs(suite.browser, errors, name, size, suite.server.url, path);
    const open = await until(() => screenOf(page), (s) => s.status === "open" && s.role === role, `${name} in the room`);
    await page.waitForSelector("#chat:not([hidden])");
    const team = await page.evaluate(() => (globalThis as unknown as { demo: { session?: { team?: string } } }).demo.session?.team ?? "");
    return { page, playerId: open.playerId ?? "", team, size };
  }

  async function shoot(page: Page, size: Size, name: string): Promise<void> {
    await page.screenshot({ path: `${suite.shots}${name}-${size}.png`, fullPage: true });
    expect(await outsideViewport(page), `${name} at ${size}`).toEqual([]);
  }

  it("arena: two teams of two chat on all, team and whisper; nobody gets another team's lines or someone else's whisper; the spectator reads all only", async () => {
    const roomId = await createRoom(suite.server.url, "arena", "squad");
    const ann = await enter("ann", "desktop", `/?room=${roomId}`);
    const bob = await enter("bob", "portrait", `/?room=${roomId}`);
    const cat = await enter("cat", "landscape", `/?room=${roomId}`);
    const dan = await enter("dan", "desktop", `/?room=${roomId}`);
    const eve = await enter("eve", "portrait", `/?watch=${roomId}`, "spectator");
    expect(ann.team).toBe(cat.team);
    expect(bob.team).toBe(dan.team);
    expect(ann.team).not.toBe(bob.team);

    await say(ann.page, "all", "hello everyone");
    await say(ann.page, "team", "red: take the top orbs");
    await say(bob.page, "team", "blue: hold the middle");
    await say(dan.page, "whisper", "psst ann, truce?", ann.playerId);

    // Each one's stream, as its session holds it.
    await until(() => texts(cat.page), (t) => t.includes("red: take the top orbs"), "cat has her team's line");
    await until(() => texts(ann.page), (t) => t.includes("psst ann, truce?"), "ann has dan's whisper");
    const streams = { ann: await texts(ann.page), bob: await texts(bob.page), cat: await texts(cat.page), dan: await texts(dan.page), eve: await texts(eve.page) };
    console.log(`chat streams: ${JSON.stringify(streams)}`);
    expect(streams.ann).toEqual(["hello everyone", "red: take the top orbs", "psst ann, truce?"]);
    expect(streams.cat).toEqual(["hello everyone", "red: take the top orbs"]);
    expect(streams.bob).toEqual(["hello everyone", "blue: hold the middle"]);
    expect(streams.dan).toEqual(["hello everyone", "blue: hold the middle", "psst ann, truce?"]);
    expect(streams.eve).toEqual(["hello everyone"]);

    // Cat was on All: the team line waits as unread on her Team tab.
    await cat.page.click('#chat-tabs [data-channel="all"]');
    await cat.page.waitForSelector('#chat-tabs [data-channel="team"] .chat-unread:has-text("1")');
    // The spectator has one tab, All, and may only read it (the arena's default).
    expect(await eve.page.locator("#chat-tabs [data-channel]").evaluateAll((tabs) => tabs.map((tab) => (tab as unknown as { dataset: { channel: string } }).dataset.channel))).toEqual(["all"]);
    expect(await eve.page.isDisabled("#chat-input")).toBe(true);

    // A refused line is explained under the box, and nobody else sees it.
    await ann.page.click('#chat-tabs [data-channel="all"]');
    await ann.page.fill("#chat-input", "look at https://example.com");
    await ann.page.press("#chat-input", "Enter");
    await ann.page.waitForSelector('#chat-status:has-text("links are not allowed in chat")');
    expect(await texts(bob.page)).not.toContain("look at https://example.com");

    await new Promise((resolve) => setTimeout(resolve, 300));
    await shoot(ann.page, "desktop", "arena-ann");
    await shoot(bob.page, "portrait", "arena-bob");
    await shoot(cat.page, "landscape", "arena-cat");
    await shoot(eve.page, "portrait", "arena-spectator");

    // A reload brings the same seat back with the history its audience may read.
    await dan.page.reload();
    await until(() => texts(dan.page), (t) => t.length === 3, "dan's history after a reload");
    expect(await texts(dan.page)).toEqual(["hello everyone", "blue: hold the middle", "psst ann, truce?"]);
    expect(errors.seen).toEqual([]);
    for (const p of [ann, bob, cat, dan, eve]) await p.page.context().close();
  });

  it("the generic page: tic-tac-toe has no team channel and its spectators may write to all", async () => {
    const roomId = await createRoom(suite.server.url, "tic-tac-toe");
    const xavier = await enter("xavier", "desktop", `/?room=${roomId}`);
    const olga = await enter("olga", "portrait", `/?room=${roomId}`);
    const eve = await enter("eve", "landscape", `/?watch=${roomId}`, "spectator");
    expect(await screenOf(xavier.page)).toMatchObject({ generic: true });
    const tabs = (page: Page) => page.locator("#chat-tabs [data-channel]").evaluateAll((els) => els.map((el) => (el as unknown as { dataset: { channel: string } }).dataset.channel));
    expect(await tabs(xavier.page)).toEqual(["all", "whisper"]);
    expect(await tabs(eve.page)).toEqual(["all"]);
    await say(eve.page, "all", "good luck, both");
    await say(xavier.page, "whisper", "go easy on me", olga.playerId);
    await until(() => texts(olga.page), (t) => t.length === 2, "olga's two lines");
    expect(await texts(eve.page)).toEqual(["good luck, both"]);
    await olga.page.click('#chat-tabs [data-channel="all"]');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await shoot(xavier.page, "desktop", "generic-xavier");
    await shoot(olga.page, "portrait", "generic-olga");
    await shoot(eve.page, "landscape", "generic-spectator");
    expect(errors.seen).toEqual([]);
    for (const p of [xavier, olga, eve]) await p.page.context().close();
  });
});
