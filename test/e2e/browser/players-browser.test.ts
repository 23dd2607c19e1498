// The demo's player panel in Chromium against `wrangler dev`: the guest it is, kept across a reload, its matches and the leaderboard.
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { bearerCredentials, GUEST_TOKEN_KEY } from "../../../client/sdk/credentials.ts";
import { createRoom, joinRoom, type Server } from "../../../client/sdk/join.ts";
import { RoomClient } from "../../../client/sdk/room-client.ts";
import type { ticTacToe } from "../../../src/games/tic-tac-toe.ts";
import { browserSuite } from "../kit/suites.ts";
import { sleep } from "../kit/dev-server.ts";

async function until(done: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
    if (done()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the lobby's player panel", () => {
  const suite = browserSuite("players-browser");
  const clients: RoomClient<typeof ticTacToe>[] = [];

  afterAll(() => {
    for (const client of clients) client.close();
  });

  it("shows the page's guest, the same after a reload, with a match it won and the leaderboard", async () => {
    const page: Page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(suite.server.url);
    await page.fill("#name", "Paige");
    await page.locator("#who", { hasText: "guest" }).waitFor();
    const token = await page.evaluate((key) => localStorage.getItem(key), GUEST_TOKEN_KEY);
    expect(token).toEqual(expect.any(String));

    // The page's guest (its kept token) plays a match from here against another guest, and wins it as x.
    const paige: Server = { base: suite.server.url, credentials: bearerCredentials(() => token ?? undefined) };
    const other: Server = { base: suite.server.url, credentials: bearerCredentials(() => undefined) };
    const { roomId } = await createRoom(paige, "tic-tac-toe");
    const seats = [await joinRoom(paige, roomId, "Paige"), await joinRoom(other, roomId, "Rival")];
    for (const seat of seats) clients.push(new RoomClient<typeof ticTacToe>(seat.url));
    await until(() => clients.every((client) => client.view !== undefined), "both views");
    const mine = seats[0]?.team === "x";
    const [x, o] = mine ? [clients[0], clients[1]] : [clients[1], clients[0]];
    for (const [client, cell] of [[x, 0], [o, 4], [x, 1], [o, 5], [x, 2]] as const) {
      const seq = client?.send("place", { cell }) ?? 0;
      await until(() => (client?.lastAcked ?? 0) >= seq, `move ${cell}`);
    }
    await until(() => x?.result !== undefined, "the result");

    // A reload: the same guest (the token stayed in localStorage), now with the match and a place on the board.
    await page.reload();
    await page.locator("#my-matches", { hasText: "tic-tac-toe" }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate((key) => localStorage.getItem(key), GUEST_TOKEN_KEY)).toBe(token);
    const matches = (await page.textContent("#my-matches")) ?? "";
    expect(matches).toContain(`${mine ? "won" : "lost"} tic-tac-toe against Rival`);
    await page.locator("#leaderboard", { hasText: "Paige" }).waitFor();
    expect(await page.textContent("#leaderboard")).toContain(mine ? "Paige: 1 won, 0 lost" : "Paige: 0 won, 1 lost");
    expect(await page.textContent("#who")).toContain(seats[0]?.userId.slice(0, 8) ?? "?");
    await page.screenshot({ path: `${suite.shots}lobby-panel.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
