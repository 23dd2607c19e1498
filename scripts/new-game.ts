// `npm run new-game <name>`: writes src/games/<name>.ts from a small working template and registers it.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// Words that cannot name a `const`; a game called "delete" would otherwise scaffold a file that does not parse.
const reserved = new Set(
  "await break case catch class const continue debugger default delete do else enum export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield".split(" "),
);

const camel = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const words = (name: string): string[] => name.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1));

/** Scaffold game `name` in the checkout at `root`; throws an Error with a message for the user on a bad name. */
export function newGame(root: string, name: string): { file: string } {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new Error(`"${name}" is not a kebab-case name: use lower-case letters and digits joined by single dashes, like "tag" or "space-race"`);
  }
  const id = camel(name);
  const indexPath = join(root, "src/games/index.ts");
  const file = join(root, "src/games", `${name}.ts`);
  const index = readFileSync(indexPath, "utf8");
  if (existsSync(file)) throw new Error(`src/games/${name}.ts already exists: pick another name`);
  if (reserved.has(id)) throw new Error(`"${name}" is a reserved word in JavaScript: pick another name`);
  // A name already in the registry (a game, or one of its own exports such as `games`) would clash there.
  if (new RegExp(`\\b${id}\\b|"${name}"`).test(index.replace(/\/\/.*$/gm, ""))) throw new Error(`"${name}" is already used in src/games/index.ts: pick another name`);

  const lastImport = [...index.matchAll(/^import .* from "\.\/.*";\n/gm)].at(-1);
  const registry = index.indexOf("export const games = {");
  const registryEnd = registry < 0 ? null : /^};/m.exec(index.slice(registry));
  if (!lastImport || !registryEnd) throw new Error("src/games/index.ts does not look like the registry: add the game to it by hand");
  const afterImports = lastImport.index + lastImport[0].length;
  const entry = id === name ? `  ${id},\n` : `  "${name}": ${id},\n`;
  const entryAt = registry + registryEnd.index;
  writeFileSync(
    indexPath,
    index.slice(0, afterImports) + `import { ${id} } from "./${name}.ts";\n` + index.slice(afterImports, entryAt) + entry + index.slice(entryAt),
  );
  writeFileSync(file, template(name, id));
  return { file };
}

function template(name: string, id: string): string {
  const state = `${words(name).join("")}State`;
  return `// ${words(name).join(" ")}: say here, in one line, what this game is about.
import { z } from "zod";
import { defineGame, reject } from "../engine/define-game.ts";

export interface ${state} {
  /** Points per player id. */
  readonly points: Readonly<Record<string, number>>;
}

export const ${id} = defineGame({
  name: "${name}",
  // One team that sees the whole state. Hide things with more teams and teamView/playerView (see battleship.ts).
  teams: ["players"],
  maxPlayers: 8,
  // Named configs a room can be created with; rules read the room's one as ctx.config.
  presets: { default: { target: 10 } },

  setup: (): ${state} => ({ points: {} }),

  // Seat and unseat players on an Immer draft: write to it as if it were mutable.
  join(draft, player) {
    draft.points[player.id] = 0;
  },
  leave(draft, player) {
    delete draft.points[player.id];
  },

  actions: {
    // A client sends session.send("score", { by: 1 }), typed from this schema with no annotation; the room
    // checks the payload against the same schema first.
    // Keep schemas strict and bounded (test/games/schemas.test.ts checks every game's).
    score: {
      schema: z.strictObject({ by: z.int().min(1).max(3) }),
      apply(draft, { by }, { player, config }) {
        const next = (draft.points[player.id] ?? 0) + by;
        // A rejection changes nothing; only this player hears the reason, which its client sees typed.
        if (next > config.target) return reject("over_target");
        draft.points[player.id] = next;
      },
    },
  },

  // For a realtime game, add \`tickHz: 20\` and \`tick(draft, dt, ctx) { ... }\` (both or neither): see tag.ts.

  // What this returns ends the match; clients receive it typed as \`session.result\`.
  endIf(state, { config }) {
    const winner = Object.keys(state.points).find((id) => state.points[id] === config.target);
    return winner === undefined ? undefined : { winner };
  },
});
`;
}

if (import.meta.main) {
  const name = process.argv[2] ?? "";
  try {
    const { file } = newGame(process.cwd(), name);
    console.log(`created ${file} and registered it in src/games/index.ts\nnext: write its tests in test/games/${name}.test.ts, then npm test`);
  } catch (error) {
    console.error(`new-game: ${error instanceof Error ? error.message : String(error)}\nusage: npm run new-game <kebab-case-name>`);
    process.exitCode = 1;
  }
}
