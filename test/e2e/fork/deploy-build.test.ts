// The README's deploy commands, short of uploading: the bundles they build, the sizes it gives, the CI workflow, the CLI they need.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Sizes } from "../../../scripts/size.ts";
import { readmeCommand } from "../../docs/readme.ts";
import { ROOT } from "../kit/dev-server.ts";
import { scratchCheckout } from "../kit/scratch.ts";

const exec = promisify(execFile);
const env = { ...process.env, PATH: `${ROOT}node_modules/.bin:${process.env.PATH ?? ""}`, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };
/** A README command run by the shell in `cwd`, as a reader would type it. */
const sh = (command: string, cwd: string) => exec("sh", ["-c", command], { cwd, env, maxBuffer: 16 * 1024 * 1024 });

/** The KiB figures of the README's bundle table row whose first cell contains `name`. */
function readmeKib(name: string): { size: number; gzip: number } {
  const row = readFileSync(join(ROOT, "README.md"), "utf8")
    .split("\n")
    .find((line) => line.startsWith("| ") && (line.split("|")[1] ?? "").includes(name));
  const [size, gzip] = [...(row ?? "").matchAll(/([\d.]+) KiB/g)].map((match) => Number(match[1]));
  return { size: size ?? NaN, gzip: gzip ?? NaN };
}

describe("deploying, short of the upload", () => {
  // A checkout of its own: a build here empties client/dist, which a dev server of another test file may be serving.
  const checkout = scratchCheckout("deploy-");

  it("builds a minified Worker and a demo with no public source map, at the sizes the README gives (within 10 %)", async () => {
    expect(readmeCommand(/^npm run size$/)).toBeDefined();
    const { stdout } = await sh("npm run --silent size -- --json", checkout);
    const sizes = JSON.parse(stdout) as Sizes;
    console.log(`sizes: ${JSON.stringify(sizes)}`);
    // esbuild's minified output is a few dozen very long lines; unminified it is some 30,000.
    expect(sizes.worker.lines).toBeLessThan(500);
    expect(sizes.publicMaps).toEqual([]);
    for (const [name, measured] of [["the Worker", sizes.worker], ["the demo's script", sizes.demo], ["the inspector's script", sizes.inspector]] as const) {
      const shown = readmeKib(name);
      expect(Math.abs(shown.size * 1024 - measured.bytes) / measured.bytes, `${name}: README ${shown.size} KiB, measured ${measured.bytes} B`).toBeLessThan(0.1);
      expect(Math.abs(shown.gzip * 1024 - measured.gzip) / measured.gzip, `${name} gzip`).toBeLessThan(0.1);
    }
  });

  it("takes `npm run deploy` and `npm run deploy:production` up to the upload, each with its environment's bindings", async () => {
    for (const [pattern, name] of [[/^npm run deploy$/, "game-room-template"], [/^npm run deploy:production$/, "game-room-template-production"]] as const) {
      const command = readmeCommand(pattern);
      expect(command).toBeDefined();
      const { stdout, stderr } = await sh(`${command} -- --dry-run --outdir .bundle`, checkout);
      const output = stdout + stderr;
      expect(output).toContain("--dry-run: exiting now.");
      expect(output).toContain("env.ROOMS (GameRoom)");
      expect(output).toContain("env.MATCHMAKER (Matchmaker)");
      expect(output).not.toMatch(/WARNING/);
      expect(readFileSync(join(checkout, ".bundle/README.md"), "utf8")).toContain(`"${name}"`);
    }
  });

  it("installs the CI workflow with the README's command, and every step it runs exists here", async () => {
    const install = readmeCommand(/^mkdir -p \.github\/workflows && cp docs\/deploy-workflow\.yml/);
    await sh(install ?? "false", checkout);
    const workflow = readFileSync(join(checkout, ".github/workflows/deploy.yml"), "utf8");
    const steps = [...workflow.matchAll(/^\s+- run: (.+)$/gm)].map((match) => match[1] ?? "");
    expect(steps).toEqual(["npm ci", "npm run typecheck", "npm test", "npx wrangler deploy --env production"]);
    const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts["typecheck"]).toBeDefined();
    expect(scripts["test"]).toBeDefined();
    expect(existsSync(join(ROOT, "package-lock.json"))).toBe(true);
    const { stdout, stderr } = await sh(`${steps[3]} --dry-run --outdir .ci-bundle`, checkout);
    expect(stdout + stderr).toContain("--dry-run: exiting now.");
  });

  it("gives only account commands the pinned wrangler takes, with every flag the README uses", async () => {
    const account = [/^npx wrangler login$/, /^npx wrangler whoami$/, /^npx wrangler d1 create game-room-results$/, /^npx wrangler d1 migrations apply DB --remote$/, /^npx wrangler secret put TICKET_SECRET$/, /^npx wrangler secret put TICKET_SECRET --env production$/, /^npx wrangler tail --env production --format pretty$/];
    for (const pattern of account) {
      const command = readmeCommand(pattern) ?? "";
      expect(command, String(pattern)).not.toBe("");
      const words = command.split(" ");
      const flags = words.filter((word) => word.startsWith("--"));
      // The command with its positional words, minus what it would act on, then --help: wrangler exits 0 only for a command it has.
      const verb = words.slice(2).filter((word) => !word.startsWith("--") && word !== "TICKET_SECRET" && word !== "production" && word !== "pretty");
      const { stdout } = await exec(join(ROOT, "node_modules/.bin/wrangler"), [...verb, "--help"], { cwd: checkout, env });
      for (const flag of flags) expect(stdout, `${command}: ${flag}`).toContain(flag);
      if (flags.includes("--format")) expect(stdout).toContain('"pretty"');
    }
  });
});
