// README.md and docs/ hold up: every command is run somewhere, every link resolves, the settings table is settings.ts.
import { existsSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { settings } from "../../src/worker/settings.ts";
import { readText, ROOT, shellCommands } from "./readme.ts";

/**
 * Every command the README gives, and what runs it. A test file runs it as written (or with a free port);
 * "ci" is .ci/run's own sequence; "account" commands need a Cloudflare login, so
 * test/e2e/fork/deploy-build.test.ts checks that the pinned wrangler takes them and their flags (`--help`).
 */
const COMMANDS: Record<string, string> = {
  "npm install && npm test": "ci",
  "npm run dev": "test/e2e/fork/readme-dev.test.ts",
  "npm run dev -- --port 8951": "test/e2e/fork/readme-dev.test.ts",
  "PORT=8951 npm run dev": "test/e2e/restarts/dev-state.test.ts",
  "rm -rf .wrangler/state": "test/e2e/restarts/dev-state.test.ts",
  "npm run new-game tag": "test/e2e/fork/new-game.test.ts",
  "npx vitest run --project workerd test/games/tag.test.ts": "test/games/tag.test.ts",
  "npm test": "ci",
  "npx wrangler login": "account",
  "npx wrangler whoami": "account",
  "npx wrangler d1 create game-room-results": "account",
  "npx wrangler d1 migrations apply DB --remote": "account",
  "npx wrangler secret put TICKET_SECRET": "account",
  "npm run deploy": "test/e2e/fork/deploy-build.test.ts",
  "npm run size": "test/e2e/fork/deploy-build.test.ts",
  "npx wrangler secret put TICKET_SECRET --env production": "account",
  "npm run deploy:production": "test/e2e/fork/deploy-build.test.ts",
  "npx wrangler tail --env production --format pretty": "account",
  "mkdir -p .github/workflows && cp docs/deploy-workflow.yml .github/workflows/deploy.yml": "test/e2e/fork/deploy-build.test.ts",
};

/** Relative links of a Markdown file, with the file they sit in. */
function links(path: string): { from: string; target: string }[] {
  return [...readText(path).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] ?? "")
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => ({ from: path, target }));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

const headings = (path: string): string[] => [...readText(path).matchAll(/^#+ (.+)$/gm)].map((match) => anchor(match[1] ?? ""));

/** The numbers and strings inside a setting's value (an array, a table of limits, or the value itself). */
const leaves = (value: unknown): unknown[] => (typeof value === "object" && value !== null ? Object.values(value).flatMap(leaves) : [value]);

/** Every document a reader is sent to: the README, SECURITY.md and everything in docs/. */
const DOCS = ["README.md", "SECURITY.md", ...readdirSync(`${ROOT}/docs`).filter((name) => name.endsWith(".md")).sort().map((name) => `docs/${name}`)];

describe("the README", () => {
  it("gives only commands that a test, CI or the account check runs, and every one of those still appears", () => {
    const given = shellCommands();
    expect(given.filter((command) => !(command in COMMANDS))).toEqual([]);
    expect(Object.keys(COMMANDS).filter((command) => !given.includes(command))).toEqual([]);
    for (const runner of new Set(Object.values(COMMANDS))) {
      if (runner === "ci") expect(readText(".ci/run")).toMatch(/npm ci[\s\S]*npm run test:all/);
      else if (runner !== "account") expect(existsSync(`${ROOT}${runner}`)).toBe(true);
    }
  });

  it("reads top to bottom: the two commands, then making a game, then deploying, then the rest", () => {
    const order = [...readText("README.md").matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(order.slice(0, 4)).toEqual(["Two commands", "Make your own game", "Deploy", "Hosting the client elsewhere"]);
  });
});

describe("README.md and docs/", () => {
  it("link only to files and headings that exist", () => {
    const broken: string[] = [];
    const all = DOCS.flatMap(links);
    expect(all.length).toBeGreaterThan(30);
    for (const { from, target } of all) {
      const [file = "", hash] = target.split("#");
      const dir = from.includes("/") ? from.slice(0, from.lastIndexOf("/") + 1) : "";
      const resolved = file === "" ? from : new URL(file, `file://${ROOT}${dir}`).pathname.slice(ROOT.length);
      if (!existsSync(`${ROOT}${resolved}`)) broken.push(`${from}: ${target}`);
      else if (hash !== undefined && resolved.endsWith(".md") && !headings(resolved).includes(hash)) broken.push(`${from}: ${target} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });

  it("list every setting of src/worker/settings.ts with its default in docs/settings.md", () => {
    const table = readText("docs/settings.md");
    const rows = new Map([...table.matchAll(/^\| `([^`]+)`(?:, `([^`]+)`)? \| ([^|]+) \|/gm)].flatMap((m) => [[m[1], m[3]], ...(m[2] ? [[m[2], m[3]]] : [])] as [string, string][]));
    const missing = Object.keys(settings).filter((key) => !rows.has(key));
    expect(missing).toEqual([]);
    for (const [key, value] of Object.entries(settings)) {
      const shown = (rows.get(key) ?? "").replace(/[,\s]/g, "");
      // A table of limits is shown by its numbers; its binding names live in wrangler.toml.
      const shownLeaves = Array.isArray(value) || typeof value !== "object" ? leaves(value) : leaves(value).filter((leaf) => typeof leaf === "number");
      for (const each of shownLeaves) expect(shown, key).toContain(String(each).replace(/,/g, ""));
    }
  });
});
