// A tic-tac-toe match played to a win by two guests through the SDK, and the check that D1 recorded it: for any host.
import { expect } from "vitest";
import { guestCredentials, type TokenStorage } from "../../../client/sdk/credentials.ts";
import { createRoom, joinRoom, type Seat, type Server } from "../../../client/sdk/join.ts";
import { leaderboard, matchHistory } from "../../../client/sdk/players.ts";
import { RoomClient } from "../../../client/sdk/room-client.ts";
import type { ticTacToe } from "../../../src/games/tic-tac-toe.ts";
import type { MatchPage } from "../../../src/protocol/api.ts";
import { sleep } from "./dev-server.ts";

/** A browser's localStorage, as far as the SDK uses it: one per player, kept across a restart like a real one. */
export function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value), removeItem: (key) => void items.delete(key) };
}

/** Poll until `done` holds: bounded by count and time. */
export async function until(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
    if (await done()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface PlayedMatch {
  readonly roomId: string;
  readonly seats: readonly Seat[];
  readonly xUser: string;
  readonly oUser: string;
  readonly storages: readonly TokenStorage[];
  /** The two players' connections: the caller closes them. */
  readonly clients: readonly RoomClient<typeof ticTacToe>[];
}

export const serverAt = (base: string, storage: TokenStorage): Server => ({ base, credentials: guestCredentials(storage) });

/** Two guests, Ann and Bob, play a tic-tac-toe room on `base` until x wins. */
export async function playToWin(base: string): Promise<PlayedMatch> {
  const storages = [memoryStorage(), memoryStorage()];
  const [ann, bob] = storages.map((storage) => serverAt(base, storage)) as [Server, Server];
  const { roomId } = await createRoom(ann, "tic-tac-toe");
  const seats: Seat[] = [await joinRoom(ann, roomId, "Ann"), await joinRoom(bob, roomId, "Bob")];
  const clients = seats.map((seat) => new RoomClient<typeof ticTacToe>(seat.url));
  await until(() => clients.every((client) => client.view !== undefined), "both views");
  const x = clients[seats.findIndex((seat) => seat.team === "x")] as RoomClient<typeof ticTacToe>;
  const o = clients[seats.findIndex((seat) => seat.team === "o")] as RoomClient<typeof ticTacToe>;
  for (const [client, cell] of [[x, 4], [o, 0], [x, 2], [o, 1], [x, 6]] as const) {
    const seq = client.send("place", { cell });
    await until(() => client.lastAcked >= seq, `move ${cell}`);
  }
  await until(() => x.result !== undefined && o.result !== undefined, "the result");
  expect(x.result).toEqual({ winner: "x" });
  const xSeat = seats.find((seat) => seat.team === "x");
  const oSeat = seats.find((seat) => seat.team === "o");
  expect(xSeat?.userId).not.toBe(oSeat?.userId);
  return { roomId, seats, xUser: xSeat?.userId ?? "", oUser: oSeat?.userId ?? "", storages, clients };
}

/** Both players' histories and the leaderboard on `base` hold the match (waiting for the end hook's write first). */
export async function expectRecorded(base: string, match: PlayedMatch): Promise<void> {
  const reader = serverAt(base, memoryStorage());
  const read = async () => ({
    x: await matchHistory(reader, match.xUser),
    o: await matchHistory(reader, match.oUser),
    board: await leaderboard(reader, "tic-tac-toe", { limit: 50 }),
  });
  const inHistory = (page: MatchPage) => page.matches.find((entry) => entry.roomId === match.roomId);
  await until(async () => inHistory((await read()).o) !== undefined, "the match in D1");
  const { x, o, board } = await read();
  expect(inHistory(x)).toMatchObject({ game: "tic-tac-toe", outcome: "win", result: { winner: "x" } });
  expect(inHistory(o)).toMatchObject({ outcome: "loss" });
  expect(board.standings.find((s) => s.userId === match.xUser)).toMatchObject({ wins: 1, losses: 0, played: 1 });
  expect(board.standings.find((s) => s.userId === match.oUser)).toMatchObject({ wins: 0, losses: 1, played: 1 });
}
