// npm run replay -- <url or file>: rebuilds an ended match from its replay log (GET /api/rooms/:id/replay) and checks it against the final record.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Game } from "../src/engine/define-game.ts";
import { hashOf } from "../src/engine/hash.ts";
import { replay, type MatchRecord, type Step } from "../src/engine/match.ts";
import { games } from "../src/games/index.ts";

/** A whole replay log: what the pages of the replay route add up to (docs/lifecycle.md, "Replays"). */
export interface ReplayLog {
  readonly game: string;
  readonly initial: MatchRecord;
  readonly steps: readonly Step[];
  readonly final: MatchRecord;
}

interface ReplayPage extends Omit<ReplayLog, "final"> {
  readonly from: number;
  readonly total: number;
  readonly final: MatchRecord | null;
}

/** Pages a log may span: the route serves at most maxReplaySteps (2,000) steps, 500 a page. */
const MAX_PAGES = 100;

/** Every page of `url` (the replay route of one room), joined into one log. */
export async function fetchReplay(url: string): Promise<ReplayLog> {
  const steps: Step[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await fetch(`${url}?from=${steps.length}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as ReplayPage | { code: string; message: string };
    if (!response.ok || "code" in body) throw new Error(`${url}: ${"code" in body ? `${body.code}: ${body.message}` : response.status}`);
    steps.push(...body.steps);
    if (body.final) return { game: body.game, initial: body.initial, steps, final: body.final };
    if (body.steps.length === 0) break;
  }
  throw new Error(`${url}: no final record after ${steps.length} steps`);
}

/** The match rebuilt from its first record and every step, and whether it is the final record exactly. */
export function checkReplay(log: ReplayLog): { game: string; steps: number; tick: number; hash: string; matches: boolean } {
  const game = (games as Record<string, Game>)[log.game];
  if (!game) throw new Error(`unknown game ${JSON.stringify(log.game)}: not in src/games/index.ts`);
  const record = replay(game, log.initial, log.steps);
  const hash = hashOf(record);
  return { game: log.game, steps: log.steps.length, tick: record.tick, hash, matches: hash === hashOf(log.final) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = process.argv[2];
  if (!source) {
    console.error("usage: npm run replay -- <http://127.0.0.1:8787/api/rooms/ROOM_ID/replay | replay.json>");
    process.exit(2);
  }
  const log = /^https?:/.test(source) ? await fetchReplay(source) : (JSON.parse(readFileSync(source, "utf8")) as ReplayLog);
  const result = checkReplay(log);
  console.log(`${result.game}: ${result.steps} steps to tick ${result.tick}, hash ${result.hash} ${result.matches ? "equals" : "differs from"} the final record's ${hashOf(log.final)}`);
  process.exit(result.matches ? 0 : 1);
}
