// A match's replay log rebuilds it exactly: 20 random seeded matches of each game reach the same state hash.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { gameNamed } from "../../../../src/games/index.ts";
import { hashOf } from "../../../../src/engine/hash.ts";
import { replay, type MatchRecord, type Step } from "../../../../src/engine/match.ts";
import { createRandom } from "../../../../src/engine/random.ts";
import type { BattleshipState } from "../../../../src/games/battleship.ts";
import { TestRoom } from "../../../kit/room.ts";

interface ReplayPage {
  game: string;
  initial: MatchRecord;
  from: number;
  steps: Step[];
  total: number;
  complete: boolean;
  final: MatchRecord | null;
}

/** Every page of an ended match's replay, as a client reads them. */
async function replayOf(room: TestRoom): Promise<{ game: string; initial: MatchRecord; steps: Step[]; final: MatchRecord; pages: number }> {
  const steps: Step[] = [];
  for (let pages = 1; pages <= 100; pages++) {
    const response = await exports.default.fetch(`http://room.test/api/rooms/${room.id}/replay?from=${steps.length}&limit=16`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as ReplayPage;
    expect(page.from).toBe(steps.length);
    expect(page.steps.length).toBeLessThanOrEqual(16);
    steps.push(...page.steps);
    if (page.final) return { game: page.game, initial: page.initial, steps, final: page.final, pages };
  }
  throw new Error("the replay never reached its last page");
}

async function expectExactReplay(room: TestRoom): Promise<void> {
  const log = await replayOf(room);
  const game = gameNamed(log.game);
  if (!game) throw new Error(`unknown game ${log.game}`);
  const rebuilt = replay(game, log.initial, log.steps);
  const live = await room.record();
  expect(log.pages).toBeGreaterThan(1);
  expect(hashOf(rebuilt)).toBe(hashOf(live));
  expect(rebuilt).toEqual(live);
  expect(log.final).toEqual(live);
}

describe("replays", () => {
  it("are refused with a typed error and no state while the match is played", async () => {
    for (const [game, preset] of [["battleship", "quick"], ["arena", "default"]] as const) {
      const room = await TestRoom.create(game, { preset });
      const players = [await room.join("rosa"), await room.join("bert")];
      for (const p of players) if (game === "battleship") p.socket.act("shuffle", {});
      for (const p of players) await p.socket.flush();
      if (game === "arena") await room.tick(3);
      const response = await exports.default.fetch(`http://room.test/api/rooms/${room.id}/replay`);
      expect(response.status).toBe(409);
      const body = (await response.json()) as Record<string, unknown>;
      // The error shape and nothing else: no seed, no record, no step.
      expect(Object.keys(body).sort()).toEqual(["code", "message", "type"]);
      expect(body["code"]).toBe("match_live");
    }
  });

  it("rebuild 20 random seeded arena matches exactly", async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = createRandom(seed);
      const room = await TestRoom.create("arena", { seed });
      const players = [];
      for (let i = 0, n = 2 + random.int(3); i < n; i++) players.push(await room.join(`p${i}`));
      for (let t = 0; t < 25; t++) {
        for (const p of players) {
          if (random.next() < 0.3) p.socket.act("input", { dx: random.between(-1, 1), dy: random.between(-1, 1) });
          if (random.next() < 0.05) p.socket.act("ping", { x: random.between(0, 1000), y: random.between(0, 1000) });
        }
        for (const p of players) await p.socket.flush();
        if (t === 12) players.pop()?.socket.client.close();
        await room.tick();
      }
      // An arena never ends by itself: everyone leaves, and the empty match ends as abandoned.
      expect((await room.abandon(players)).endReason).toBe("abandoned");
      await expectExactReplay(room);
    }
  });

  it("rebuild 20 random seeded battleship matches exactly, deadlines included", async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = createRandom(seed);
      const room = await TestRoom.create("battleship", { preset: "quick", seed });
      const players = [await room.join("rosa"), await room.join("bert")];
      for (const p of players) {
        for (let i = 0, n = 1 + random.int(3); i < n; i++) p.socket.act("shuffle", {});
        p.socket.act("ready", {});
        await p.socket.flush();
      }
      for (let turn = 0; turn < 80; turn++) {
        const state = (await room.record()).state as BattleshipState;
        if (state.phase !== "firing") break;
        if (random.next() < 0.15) {
          // Both keep talking while they wait, as connected clients do, so neither is closed as idle.
          for (const p of players) await p.socket.flush();
          await room.skipTo(state.turnEndsAt ?? 0);
          continue;
        }
        const shooter = players[state.turn === "red" ? 0 : 1];
        const tried = state.shots[state.turn === "red" ? "blue" : "red"] ?? {};
        const open = [...Array(36).keys()].filter((i) => !tried[`${i % 6},${Math.floor(i / 6)}`]);
        const cell = open[random.int(open.length)] ?? 0;
        shooter?.socket.act("fire", { x: cell % 6, y: Math.floor(cell / 6) });
        await shooter?.socket.flush();
      }
      expect((await room.record()).result).toBeDefined();
      await expectExactReplay(room);
    }
  });
});
