// Parties: made, joined by code and queued through the Worker's routes; a party of 4 lands in one room (one team where it fits), always.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { PartyPass, PartyState } from "../../../src/protocol/api.ts";
import { gameNamed } from "../../../src/games/index.ts";
import type { Region } from "../../../src/worker/matchmaker/regions.ts";
import { quickPlay } from "../../../src/worker/matchmaker/shards.ts";
import { createParty, joinParty, queueParty, waitForPartySeat } from "../../../client/sdk/index.ts";
import { TestSocket } from "../../kit/socket.ts";

const post = async <T>(path: string, body: unknown): Promise<{ status: number; body: T }> => {
  const response = await exports.default.fetch(`http://room.test${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
};

/** A small seeded generator, so a failing trial can be run again. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("a party", () => {
  it("is made, joined by its code, queued by its leader, and every member connects to the same room on one team", async () => {
    const leader = await post<PartyPass>("/api/parties", { game: "arena", name: "lea" });
    expect(leader.status).toBe(201);
    expect(leader.body.code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    const members = [leader.body];
    for (const name of ["max", "noa", "oli"]) members.push((await post<PartyPass>(`/api/parties/${leader.body.code.toLowerCase()}/join`, { name })).body);
    expect(await post("/api/parties/" + leader.body.code + "/join", { name: "pat" })).toMatchObject({ status: 409, body: { code: "party_full" } });
    expect(await post(`/api/parties/${leader.body.code}/queue`, { token: members[1]?.token })).toMatchObject({ status: 403, body: { code: "not_party_leader" } });
    expect(await post(`/api/parties/${leader.body.code}/state`, { token: "a".repeat(24) })).toMatchObject({ status: 403, body: { code: "not_party_member" } });
    const waiting = await post<PartyState>(`/api/parties/${leader.body.code}/state`, { token: members[2]?.token });
    expect(waiting.body).toMatchObject({ status: "open", members: [{ name: "lea", leader: true }, { name: "max" }, { name: "noa" }, { name: "oli" }] });
    expect(waiting.body.seat).toBeUndefined();
    const queued = await post<PartyState>(`/api/parties/${leader.body.code}/queue`, { token: leader.body.token });
    expect(queued.body.status).toBe("placed");
    const seats = [queued.body.seat];
    for (const member of members.slice(1)) seats.push((await post<PartyState>(`/api/parties/${leader.body.code}/state`, { token: member.token })).body.seat);
    expect(new Set(seats.map((seat) => seat?.roomId)).size).toBe(1);
    expect(new Set(seats.map((seat) => seat?.team)).size).toBe(1);
    expect(new Set(seats.map((seat) => seat?.playerId)).size).toBe(4);
    const sockets = await Promise.all(seats.map((seat) => TestSocket.open(`http://room.test/rooms/${seat?.roomId}/ws?ticket=${encodeURIComponent(seat?.ticket ?? "")}`)));
    expect(sockets.map((socket) => socket.welcome?.role)).toEqual(["player", "player", "player", "player"]);
  });

  it("is made, joined, queued and seated through the SDK", async () => {
    const server = { base: "http://room.test", fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(input, init) };
    const leader = await createParty(server, "battleship", "ida");
    const friend = await joinParty(server, leader.code.toLowerCase(), "jon");
    const waiting = waitForPartySeat(server, friend, { intervalMs: 10, timeoutMs: 5000 });
    const own = await queueParty(server, leader);
    const theirs = await waiting;
    expect(theirs.roomId).toBe(own.roomId);
    expect(theirs.team).toBe(own.team);
    expect(theirs.url).toContain(`/rooms/${own.roomId}/ws?ticket=`);
  });

  it("is refused with typed errors: an unknown code, a bad code, a party larger than the room", async () => {
    expect(await post("/api/parties/ABCDEF/join", { name: "x" })).toMatchObject({ status: 404, body: { code: "party_not_found" } });
    expect(await post("/api/parties/AB1/join", { name: "x" })).toMatchObject({ status: 400, body: { code: "invalid_code" } });
    expect(await post("/api/parties", { game: "chess", name: "x" })).toMatchObject({ status: 400, body: { code: "unknown_game" } });
    const duel = await post<PartyPass>("/api/parties", { game: "tic-tac-toe", name: "ann" });
    for (const name of ["bob", "cid"]) await post(`/api/parties/${duel.body.code}/join`, { name });
    expect(await post(`/api/parties/${duel.body.code}/queue`, { token: duel.body.token })).toMatchObject({ status: 409, body: { code: "party_too_large" } });
    // The refusal left the party open: it can still be looked at (and queued again once someone leaves).
    expect((await post<PartyState>(`/api/parties/${duel.body.code}/state`, { token: duel.body.token })).body.status).toBe("open");
  });

  it("of 4 always lands in one room, on one team where a team holds 4, in 1,000 randomized trials among concurrent solo players", async () => {
    const random = seeded(20);
    const choices: { game: string; preset: string }[] = [
      { game: "arena", preset: "default" }, // 16 seats, 8 a team: one team
      { game: "arena", preset: "squad" }, // 4 seats, 2 a team: the whole room, both teams
      { game: "tag", preset: "default" }, // one team
      { game: "battleship", preset: "default" }, // 4 seats, 2 teams
    ];
    const regions: Region[] = ["wnam", "enam", "apac"];
    const inRoom = new Map<string, number>();
    for (let trial = 0; trial < 1000; trial++) {
      const { game, preset } = choices[Math.floor(random() * choices.length)] ?? { game: "arena", preset: "default" };
      const region = regions[Math.floor(random() * regions.length)] ?? "wnam";
      const solos = Math.floor(random() * 7);
      const party = Array.from({ length: 4 }, (_, i) => ({ userId: `t${trial}m${i}`, name: `m${i}` }));
      const order = Math.floor(random() * (solos + 1));
      const requests = Array.from({ length: solos + 1 }, (_, i) =>
        quickPlay(env, { game, preset, region, seekers: i === order ? party : [{ userId: `t${trial}s${i}`, name: `s${i}` }], ttlMs: 60_000 }),
      );
      const answers = await Promise.all(requests);
      for (const answer of answers) {
        if ("type" in answer) throw new Error(`trial ${trial}: ${answer.code}`);
        inRoom.set(answer.roomId, (inRoom.get(answer.roomId) ?? 0) + answer.seats.length);
        expect(inRoom.get(answer.roomId)).toBeLessThanOrEqual(answer.summary.capacity);
      }
      const placed = answers[order];
      if (!placed || "type" in placed) throw new Error("no party answer");
      expect(placed.seats).toHaveLength(4);
      const definition = gameNamed(game);
      const capacity = placed.summary.capacity;
      const share = Math.ceil(capacity / (definition?.teams.length ?? 1));
      const teams = new Set(placed.seats.map((seat) => seat.team));
      if (share >= 4) expect(teams.size, `trial ${trial}: ${game}/${preset}`).toBe(1);
      else expect(teams.size).toBe(Math.ceil(4 / share));
    }
  }, 180_000);
});
