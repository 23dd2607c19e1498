// The SDK keeps a guest's token: the same player across rooms and page loads, and a new guest when the kept token is refused.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { guestCredentials, type TokenStorage } from "../../client/sdk/credentials.ts";
import { createRoom, joinRoom, quickPlay, type Server } from "../../client/sdk/join.ts";
import { leaderboard, matchHistory, whoAmI } from "../../client/sdk/players.ts";

/** A browser's localStorage, as far as the SDK uses it. */
function memoryStorage(): TokenStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value), removeItem: (key) => void items.delete(key) };
}

const serverWith = (storage: TokenStorage): Server => ({
  base: "http://room.test",
  fetch: (input, init) => exports.default.fetch(new Request(input, init)),
  credentials: guestCredentials(storage),
});

describe("the SDK's guest credentials", () => {
  it("keep the guest minted on the first request, so two rooms and a reload (a new server object) see one player", async () => {
    const storage = memoryStorage();
    const server = serverWith(storage);
    const me = await whoAmI(server, "Gail");
    expect(me).toMatchObject({ name: "Gail", verified: false });
    expect(storage.items.size).toBe(1);
    const first = await joinRoom(server, (await createRoom(server, "tic-tac-toe")).roomId, "Gail");
    const second = await quickPlay(server, "battleship", "Gail");
    const reloaded = await joinRoom(serverWith(storage), first.roomId, "Gail");
    expect([first.userId, second.userId, reloaded.userId]).toEqual([me.userId, me.userId, me.userId]);
    expect(reloaded.playerId).toBe(first.playerId);
    expect((await matchHistory(server, me.userId)).matches).toEqual([]);
    expect((await leaderboard(server, "tic-tac-toe", { limit: 5 })).standings.length).toBeLessThanOrEqual(5);
  });

  it("drop a token the server refuses and carry on as a new guest", async () => {
    const storage = memoryStorage();
    storage.setItem("game-room.guest-token", "eyJ2IjoxfQ.AAAA");
    const me = await whoAmI(serverWith(storage));
    expect(me.userId).toMatch(/^g_/);
    expect(storage.getItem("game-room.guest-token")).not.toBe("eyJ2IjoxfQ.AAAA");
    expect((await whoAmI(serverWith(storage))).userId).toBe(me.userId);
  });
});
