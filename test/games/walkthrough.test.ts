// The README's "Make your own game" shows tag's game file, registry lines and test exactly as they are in the repo.
/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";

const files = import.meta.glob<string>(
  ["../../README.md", "../../package.json", "../../src/games/tag.ts", "../../src/games/index.ts", "./tag.test.ts"],
  { query: "?raw", import: "default", eager: true },
);

function file(path: string): string {
  const text = files[path];
  if (text === undefined) throw new Error(`${path} was not loaded`);
  return text;
}

/** The ```ts blocks of one `## ` section of the README, in order, each with its final newline. */
function tsBlocks(heading: string): string[] {
  const readme = file("../../README.md");
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no "${heading}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? "");
}

describe("the README's Make your own game walkthrough", () => {
  const blocks = tsBlocks("## Make your own game");

  it("has three code blocks: the game, its registry lines, its test", () => {
    expect(blocks).toHaveLength(3);
  });

  it("shows src/games/tag.ts exactly", () => {
    expect(blocks[0]).toBe(file("../../src/games/tag.ts"));
  });

  it("shows registry lines that src/games/index.ts has, in that order", () => {
    const index = file("../../src/games/index.ts").split("\n");
    const shown = (blocks[1] ?? "").split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("//"));
    expect(shown).toContain("  tag,");
    let at = -1;
    for (const line of shown) {
      const found = index.indexOf(line, at + 1);
      expect(found, `"${line}" in src/games/index.ts after line ${at + 1}`).toBeGreaterThan(at);
      at = found;
    }
  });

  it("shows test/games/tag.test.ts exactly", () => {
    expect(blocks[2]).toBe(file("./tag.test.ts"));
  });

  it("names an npm script that exists", () => {
    const { scripts } = JSON.parse(file("../../package.json")) as { scripts: Record<string, string> };
    expect(scripts["new-game"]).toBe("node scripts/new-game.ts");
  });
});
