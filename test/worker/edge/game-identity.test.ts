// What a game sees of identity: user ids as seat ids by default, per-match aliases when it asks, and spectators only if it allows them.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { defineGame } from "../../../src/engine/define-game.ts";
import { games } from "../../../src/games/index.ts";
import { ticTacToe } from "../../../src/games/tic-tac-toe.ts";
import type { MatchPage, SeatGrant } from "../../../src/protocol/api.ts";
import type { ErrorBody } from "../../../src/protocol/errors.ts";
import { BASE, client } from "../../kit/edge.ts";
import { isType, TestSocket } from "../../kit/socket.ts";

const http = client(undefined);
const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;
const registry = games as Record<string, unknown>;
const shipped = games["tic-tac-toe"];

/** Tic-tac-toe with identity options of its own, registered under its name while a test runs (rooms read the registry when created). */
function register(options: { playerIds?: "user" | "alias"; spectators?: boolean }): void {
  registry["tic-tac-toe"] = { ...ticTacToe, ...defineGameOptions(options) };
}
const defineGameOptions = (options: { playerIds?: "user" | "alias"; spectators?: boolean }) => {
  const { playerIds, spectators } = defineGame({ name: "probe", teams: ["a"], maxPlayers: 1, presets: { default: {} }, setup: () => ({}), actions: {}, ...options });
  return { playerIds, spectators };
};

afterEach(() => {
  registry["tic-tac-toe"] = shipped;
});

const newRoom = async () => (await json<{ roomId: string }>(http.post("/api/rooms", { game: "tic-tac-toe" }))).roomId;
const join = (roomId: string, token?: string, role: "join" | "spectate" = "join") =>
  http.post(`/api/rooms/${roomId}/${role}`, { name: "Al" }, token === undefined ? {} : { authorization: `Bearer ${token}` });

describe("a game's identity options", () => {
  it("default to user ids as seat ids and spectators allowed", () => {
    expect(defineGameOptions({})).toEqual({ playerIds: "user", spectators: true });
  });

  it("alias: a seat id per match that is not the user id, kept for the same user in one room, new in the next; results still find the user", async () => {
    register({ playerIds: "alias" });
    const [first, second] = [await newRoom(), await newRoom()];
    const al = await json<SeatGrant>(join(first));
    const token = al.guestToken ?? "";
    expect(al.playerId).toMatch(/^a_[a-km-np-z2-9]{10}$/);
    expect(al.playerId).not.toContain(al.userId);
    // A second ticket before the first connected, and one after: the same seat.
    const again = await json<SeatGrant>(join(first, token));
    expect(again.playerId).toBe(al.playerId);
    const sockets = [await TestSocket.open(`${BASE}/rooms/${first}/ws?ticket=${encodeURIComponent(again.ticket)}`)];
    expect((await json<SeatGrant>(join(first, token))).playerId).toBe(al.playerId);
    const elsewhere = await json<SeatGrant>(join(second, token));
    expect(elsewhere.userId).toBe(al.userId);
    expect(elsewhere.playerId).not.toBe(al.playerId);
    // Play it out; the roster, the views and the public replay never carry the user id, the history does.
    const bo = await json<SeatGrant>(join(first));
    sockets.push(await TestSocket.open(`${BASE}/rooms/${first}/ws?ticket=${encodeURIComponent(bo.ticket)}`));
    const [x, o] = again.team === "x" ? [sockets[0], sockets[1]] : [sockets[1], sockets[0]];
    for (const [socket, cell] of [[x, 0], [o, 3], [x, 1], [o, 4], [x, 2]] as const) {
      const seq = socket?.act("place", { cell });
      await socket?.next((m) => m.type === "ack" && m.seq === seq);
    }
    await x?.next(isType("result"));
    const everything = JSON.stringify([...(sockets[0]?.messages ?? []), ...(sockets[1]?.messages ?? [])]);
    expect(everything).not.toContain(al.userId);
    expect(everything).not.toContain(bo.userId);
    const replay = await (await http.fetch(`/api/rooms/${first}/replay`)).text();
    expect(replay).toContain(al.playerId);
    expect(replay).not.toContain(al.userId);
    for (const s of sockets) s?.ws.close();
    for (let i = 0; i < 100; i++) {
      const page = await json<MatchPage>(http.fetch(`/api/players/${al.userId}/matches`));
      if (page.matches.length > 0) {
        expect(page.matches[0]?.players.map((p) => p.userId).sort()).toEqual([al.userId, bo.userId].sort());
        const stored = (await env.DB.prepare("SELECT replay FROM replays WHERE room_id = ?1").bind(first).first<{ replay: string }>())?.replay ?? "";
        expect(stored).toContain(al.playerId);
        expect(stored).not.toContain(al.userId);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("the match never reached D1");
  });

  it("spectators: false refuses spectating with 403 spectating_off, and still seats players", async () => {
    register({ spectators: false });
    const roomId = await newRoom();
    const answer = await join(roomId, undefined, "spectate");
    expect(answer.status).toBe(403);
    expect((await json<ErrorBody>(answer)).code).toBe("spectating_off");
    expect((await join(roomId)).status).toBe(200);
  });
});
