// Under `wrangler dev`: a tic-tac-toe match played to the end is in both guests' histories and the leaderboard, also after a restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guestCredentials, type TokenStorage } from "../../client/sdk/credentials.ts";
import { createRoom, joinRoom, type Seat, type Server } from "../../client/sdk/join.ts";
import { leaderboard, matchHistory, whoAmI } from "../../client/sdk/players.ts";
import { RoomClient } from "../../client/sdk/room-client.ts";
import type { ticTacToe } from "../../src/games/tic-tac-toe.ts";
import type { MatchPage } from "../../src/protocol/api.ts";
import { sleep, TempServer } from "./dev-server.ts";

/** A browser's localStorage, as far as the SDK uses it: one per player, kept across the restart like a real one. */
function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value), removeItem: (key) => void items.delete(key) };
}

/** Poll until `done` holds: bounded by count and time. */
async function until(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
    if (await done()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("match results on wrangler dev", () => {
  let servers: TempServer | undefined;
  const clients: RoomClient<typeof ticTacToe>[] = [];

  beforeAll(async () => {
    servers = await TempServer.start();
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await servers?.close();
  });

  it("records a finished tic-tac-toe match in local D1, readable after the dev server restarts", async () => {
    const running = servers as TempServer;
    const storages = [memoryStorage(), memoryStorage()];
    const serverFor = (storage: TokenStorage): Server => ({ base: running.url, credentials: guestCredentials(storage) });
    const [ann, bob] = storages.map(serverFor) as [Server, Server];
    const { roomId } = await createRoom(ann, "tic-tac-toe");
    const seats: Seat[] = [await joinRoom(ann, roomId, "Ann"), await joinRoom(bob, roomId, "Bob")];
    for (const seat of seats) clients.push(new RoomClient<typeof ticTacToe>(seat.url));
    await until(() => clients.every((client) => client.view !== undefined), "both views");
    const x = clients[seats.findIndex((seat) => seat.team === "x")] as RoomClient<typeof ticTacToe>;
    const o = clients[seats.findIndex((seat) => seat.team === "o")] as RoomClient<typeof ticTacToe>;
    for (const [client, cell] of [[x, 4], [o, 0], [x, 2], [o, 1], [x, 6]] as const) {
      const seq = client.send("place", { cell });
      await until(() => client.lastAcked >= seq, `move ${cell}`);
    }
    await until(() => x.result !== undefined && o.result !== undefined, "the result");
    expect(x.result).toEqual({ winner: "x" });
    const [xSeat, oSeat] = seats[0]?.team === "x" ? [seats[0], seats[1]] : [seats[1], seats[0]];
    const xUser = xSeat?.userId ?? "";
    const oUser = oSeat?.userId ?? "";
    expect(xUser).not.toBe(oUser);

    const read = async () => ({
      x: await matchHistory(ann, xUser),
      o: await matchHistory(ann, oUser),
      board: await leaderboard(ann, "tic-tac-toe", { limit: 50 }),
    });
    const inHistory = (page: MatchPage) => page.matches.find((match) => match.roomId === roomId);
    await until(async () => inHistory((await read()).o) !== undefined, "the match in D1");
    const check = async () => {
      const { x: xs, o: os, board } = await read();
      expect(inHistory(xs)).toMatchObject({ game: "tic-tac-toe", outcome: "win", result: { winner: "x" } });
      expect(inHistory(os)).toMatchObject({ outcome: "loss" });
      expect(board.standings.find((s) => s.userId === xUser)).toMatchObject({ wins: 1, losses: 0, played: 1 });
      expect(board.standings.find((s) => s.userId === oUser)).toMatchObject({ wins: 0, losses: 1, played: 1 });
    };
    await check();

    // Stop and start again on the same persist folder: the results are D1's, not the process's.
    for (const client of clients) client.close();
    await running.current.stop();
    await running.restart();
    await check();
    // And each browser, with the token it kept, is still the same guest.
    expect((await whoAmI(serverFor(storages[0] as TokenStorage))).userId).toBe(seats[0]?.userId);
  });
});
