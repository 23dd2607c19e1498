// Results in D1: an ended match lands in both players' histories and the leaderboard, once, with its replay; pages are bounded.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { LeaderboardPage, MatchPage, SeatGrant } from "../../src/protocol/api.ts";
import type { ErrorBody } from "../../src/protocol/errors.ts";
import type { MatchSummary } from "../../src/hooks.ts";
import { recordMatch } from "../../src/worker/results/record.ts";
import { randomId } from "../../src/worker/http.ts";
import { settings } from "../../src/worker/settings.ts";
import { BASE, client } from "../kit/edge.ts";
import { isType, TestSocket } from "../kit/socket.ts";

const http = client(undefined);
const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;

/** Poll D1 until `check` holds: the room writes from its onMatchEnd hook, after the match's last step. Bounded: 100 × 50 ms. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("D1 never showed the match");
}

/** Two guests play tic-tac-toe to x's win in a new room; returns the room and both seats. */
async function playOut(): Promise<{ roomId: string; x: SeatGrant; o: SeatGrant }> {
  const { roomId } = await json<{ roomId: string }>(http.post("/api/rooms", { game: "tic-tac-toe" }));
  const seats = [await json<SeatGrant>(http.post(`/api/rooms/${roomId}/join`, { name: "Xena" })), await json<SeatGrant>(http.post(`/api/rooms/${roomId}/join`, { name: "Otto" }))];
  const sockets = await Promise.all(seats.map((seat) => TestSocket.open(`${BASE}/rooms/${roomId}/ws?ticket=${encodeURIComponent(seat.ticket)}`)));
  const byTeam = (team: string) => seats.findIndex((seat) => seat.team === team);
  const [xs, os] = [sockets[byTeam("x")] as TestSocket, sockets[byTeam("o")] as TestSocket];
  for (const [socket, cell] of [[xs, 0], [os, 3], [xs, 1], [os, 4], [xs, 2]] as const) {
    const seq = socket.act("place", { cell });
    await socket.next((m) => m.type === "ack" && m.seq === seq);
  }
  await xs.next(isType("result"));
  for (const socket of sockets) socket.ws.close();
  return { roomId, x: seats[byTeam("x")] as SeatGrant, o: seats[byTeam("o")] as SeatGrant };
}

describe("an ended match", () => {
  it("is in both players' histories, with outcomes, and on the game's leaderboard, with its replay kept in D1", async () => {
    const { roomId, x, o } = await playOut();
    await eventually(async () => (await json<MatchPage>(http.fetch(`/api/players/${encodeURIComponent(o.userId)}/matches`))).matches.length > 0);
    const xHistory = await json<MatchPage>(http.fetch(`/api/players/${encodeURIComponent(x.userId)}/matches`));
    const oHistory = await json<MatchPage>(http.fetch(`/api/players/${encodeURIComponent(o.userId)}/matches`));
    expect(xHistory.matches[0]).toMatchObject({ roomId, game: "tic-tac-toe", reason: "finished", result: { winner: "x" }, outcome: "win", replay: true });
    expect(oHistory.matches[0]).toMatchObject({ roomId, outcome: "loss" });
    expect(xHistory.matches[0]?.players.map((p) => [p.userId, p.name, p.outcome]).sort()).toEqual(
      [[x.userId, "Xena", "win"], [o.userId, "Otto", "loss"]].sort(),
    );
    const board = await json<LeaderboardPage>(http.fetch(`/api/leaderboard?game=tic-tac-toe&limit=${settings.maxResultsPageSize}`));
    expect(board.standings.find((s) => s.userId === x.userId)).toMatchObject({ name: "Xena", wins: 1, losses: 0, played: 1 });
    expect(board.standings.find((s) => s.userId === o.userId) ?? (await standingOf(o.userId))).toMatchObject({ wins: 0, losses: 1, played: 1 });
    const replay = await json<{ initial: unknown; steps: unknown[]; final: { result: unknown } }>(http.fetch(`/api/matches/${roomId}/replay`));
    expect(replay.final.result).toEqual({ winner: "x" });
    expect(replay.steps.length).toBeGreaterThanOrEqual(7);
  });

  it("counts once when its summary is written again (a retried hook)", async () => {
    const userId = `g_${randomId(16)}`;
    const match: MatchSummary = {
      roomId: randomId(12), game: "battleship", preset: "default", reason: "finished", result: { winner: "red" },
      players: [{ id: userId, userId, name: "Rita", team: "red" }], startedAt: 1, endedAt: 2, ticks: 0, replay: () => null,
    };
    await recordMatch(env.DB, match, { replay: true });
    await recordMatch(env.DB, match, { replay: true });
    const row = await env.DB.prepare("SELECT wins, played FROM standings WHERE game = 'battleship' AND user_id = ?1").bind(userId).first();
    expect(row).toEqual({ wins: 1, played: 1 });
    expect((await json<MatchPage>(http.fetch(`/api/players/${userId}/matches`))).matches).toHaveLength(1);
  });
});

async function standingOf(userId: string) {
  return env.DB.prepare("SELECT wins, losses, played FROM standings WHERE game = 'tic-tac-toe' AND user_id = ?1").bind(userId).first();
}

describe("history and leaderboard pages", () => {
  it("walk every row exactly once by cursor, never more than the page bound, newest (or best) first", async () => {
    const userId = `g_${randomId(16)}`;
    const game = "tag";
    for (let i = 0; i < 7; i++) {
      const rival = `g_${randomId(16)}`;
      await recordMatch(
        env.DB,
        {
          roomId: randomId(12), game, preset: "default", reason: "finished", result: { winner: i % 2 === 0 ? userId : rival },
          players: [{ id: userId, userId, name: "Pat", team: "it" }, { id: rival, userId: rival, name: `R${i}`, team: "it" }],
          startedAt: 1000 + i, endedAt: 2000 + i, ticks: 10, replay: () => null,
        },
        { replay: false },
      );
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const answer: MatchPage = await json<MatchPage>(http.fetch(`/api/players/${userId}/matches?limit=3${cursor ? `&cursor=${cursor}` : ""}`));
      expect(answer.matches.length).toBeLessThanOrEqual(3);
      seen.push(...answer.matches.map((m) => m.endedAt));
      cursor = answer.next;
      if (!cursor) break;
    }
    expect(seen).toEqual([2006, 2005, 2004, 2003, 2002, 2001, 2000]);
    const ranked: string[] = [];
    cursor = undefined;
    for (let page = 0; page < 20; page++) {
      const answer: LeaderboardPage = await json<LeaderboardPage>(http.fetch(`/api/leaderboard?game=${game}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`));
      ranked.push(...answer.standings.map((s) => `${s.wins}:${s.userId}`));
      cursor = answer.next;
      if (!cursor) break;
    }
    expect(ranked[0]).toBe(`4:${userId}`);
    expect(new Set(ranked).size).toBe(ranked.length);
    expect(ranked).toHaveLength(8);
  });

  it("refuses bad ids, cursors, limits and games with typed errors", async () => {
    for (const path of [
      "/api/players/a%20b/matches",
      "/api/players/__proto__/matches",
      "/api/players/x/matches?limit=51",
      "/api/players/x/matches?cursor=DROP",
      "/api/leaderboard",
      "/api/leaderboard?game=tag&cursor=1~2",
    ]) {
      const answer = await http.fetch(path);
      expect(answer.status, path).toBe(400);
      expect((await json<ErrorBody>(answer)).code, path).toBe("invalid_request");
    }
    expect((await json<ErrorBody>(http.fetch("/api/leaderboard?game=chess"))).code).toBe("unknown_game");
    expect((await json<ErrorBody>(http.fetch(`/api/matches/${randomId(12)}/replay`))).code).toBe("replay_unavailable");
  });
});
