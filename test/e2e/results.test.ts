// Under `wrangler dev`: a tic-tac-toe match played to the end is in both guests' histories and the leaderboard, also after a restart.
import { afterAll, describe, expect, it } from "vitest";
import { whoAmI } from "../../client/sdk/players.ts";
import type { TokenStorage } from "../../client/sdk/credentials.ts";
import { serverSuite } from "./kit/suites.ts";
import { expectRecorded, playToWin, serverAt, type PlayedMatch } from "./kit/results-kit.ts";

describe("match results on wrangler dev", () => {
  const suite = serverSuite();
  let played: PlayedMatch | undefined;

  afterAll(() => {
    for (const client of played?.clients ?? []) client.close();
  });

  it("records a finished tic-tac-toe match in local D1, readable after the dev server restarts", async () => {
    const running = suite.server;
    const match = (played = await playToWin(running.url));
    await expectRecorded(running.url, match);

    // Stop and start again on the same persist folder: the results are D1's, not the process's.
    for (const client of match.clients) client.close();
    await running.current.stop();
    await running.restart();
    await expectRecorded(running.url, match);
    // And each browser, with the token it kept, is still the same guest.
    expect((await whoAmI(serverAt(running.url, match.storages[0] as TokenStorage))).userId).toBe(match.seats[0]?.userId);
  });
});
