// npm run replay -- <url or file>: rebuilds a match from its replay log (GET /api/rooms/:id/replay) and checks the room's hash.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Game } from "../src/engine/define-game.ts";
import { hashOf } from "../src/engine/hash.ts";
import { replay, type MatchRecord, type Step } from "../src/engine/match.ts";
import { games } from "../src/games/index.ts";

/** What the replay route answers. */
export interface ReplayLog {
  readonly game: string;
  readonly initial: MatchRecord;
  readonly steps: readonly Step[];
  readonly hash: string;
}

/** The match rebuilt from its first record and every step, with the hash the room reported and the one it gives here. */
export function checkReplay(log: ReplayLog): { game: string; steps: number; tick: number; hash: string; matches: boolean } {
  const game = (games as Record<string, Game>)[log.game];
  if (!game) throw new Error(`unknown game ${JSON.stringify(log.game)}: not in src/games/index.ts`);
  const record = replay(game, log.initial, log.steps);
  const hash = hashOf(record);
  return { game: log.game, steps: log.steps.length, tick: record.tick, hash, matches: hash === log.hash };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = process.argv[2];
  if (!source) {
    console.error("usage: npm run replay -- <http://127.0.0.1:8787/api/rooms/ROOM/replay | replay.json>");
    process.exit(2);
  }
  const log = (/^https?:/.test(source) ? await (await fetch(source)).json() : JSON.parse(readFileSync(source, "utf8"))) as ReplayLog;
  const result = checkReplay(log);
  console.log(`${result.game}: ${result.steps} steps to tick ${result.tick}, hash ${result.hash} ${result.matches ? "equals" : "differs from"} the room's ${log.hash}`);
  process.exit(result.matches ? 0 : 1);
}
