// `npm run new-game` in a scratch checkout: the new game is registered, type-checks, imports and plays.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { newGame } from "../../../scripts/new-game.ts";
import type { Game } from "../../../src/engine/define-game.ts";
import { advance, createMatch, type LogEntry } from "../../../src/engine/match.ts";
import { scratchCheckout } from "../kit/scratch.ts";

const run = promisify(execFile);

/** A forker's checkout; only its games are type-checked here (the whole project is `npm run typecheck`'s job). */
function scratchCopy(): string {
  const root = scratchCheckout("new-game-");
  writeFileSync(join(root, "tsconfig.games.json"), JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { types: [] }, include: ["src/games"] }));
  return root;
}

describe("npm run new-game", () => {
  const root = scratchCopy();
  const script = join(root, "scripts/new-game.ts");

  it("writes a game that is registered, type-checks, and plays a move", async () => {
    const { stdout } = await run(process.execPath, [script, "space-race"], { cwd: root });
    expect(stdout).toContain("src/games/space-race.ts");
    const index = readFileSync(join(root, "src/games/index.ts"), "utf8");
    expect(index).toContain('import { spaceRace } from "./space-race.ts";\n');
    expect(index).toContain('  "space-race": spaceRace,\n};');

    // The new game's types reach a client with no annotation: its action, payload, result and reasons.
    writeFileSync(
      join(root, "src/games/space-race-types.ts"),
      `import type { ActionsOf, ReasonOf, ResultOf } from "../protocol/game-types.ts";
import type { games } from "./index.ts";
type G = (typeof games)["space-race"];
export const right: ActionsOf<G> = { score: { by: 2 } };
// @ts-expect-error by is a number
export const wrong: ActionsOf<G>["score"] = { by: "2" };
export const result: ResultOf<G> = { winner: "ann" };
export const reason: ReasonOf<G> = "over_target";
// @ts-expect-error not a reason this game gives
export const other: ReasonOf<G> = "occupied";
`,
    );
    await run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.games.json")]);

    // Imported through vitest's own TypeScript transform: the engine uses syntax Node's type stripping does not take.
    const { games } = (await import(join(root, "src/games/index.ts"))) as { games: Record<string, Game> };
    const game = games["space-race"];
    if (!game) throw new Error("space-race is not in the registry");
    const entries: LogEntry[] = [{ kind: "join", player: "ann", name: "ann", team: "players" }, { kind: "act", player: "ann", seq: 1, action: "score", payload: { by: 3 } }];
    const { record, outcomes } = advance(game, createMatch(game, { preset: "default", seed: 1, time: 0 }), { tick: 0, time: 0, entries, ticks: 0 });
    expect(record.state).toEqual({ points: { ann: 3 } });
    expect(outcomes).toEqual([{ player: "ann", seq: 1 }]);
  });

  it("registers a one-word game by its own name", () => {
    newGame(root, "relay");
    expect(readFileSync(join(root, "src/games/index.ts"), "utf8")).toMatch(/import \{ relay \} from "\.\/relay\.ts";\n[\s\S]*  relay,\n\};/);
  });

  it("refuses a name that is not kebab-case, an existing game, or a word that cannot name a const", () => {
    expect(() => newGame(root, "SpaceRace")).toThrow(/not a kebab-case name/);
    expect(() => newGame(root, "space--race")).toThrow(/not a kebab-case name/);
    expect(() => newGame(root, "arena")).toThrow(/already exists/);
    expect(() => newGame(root, "games")).toThrow(/already used/);
    expect(() => newGame(root, "delete")).toThrow(/reserved word/);
  });

  it("explains a refusal on the command line and exits with 1", async () => {
    const failed = await run(process.execPath, [script, "Bad Name"], { cwd: root }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining("not a kebab-case name") });
  });
});
