// Five projects: unit (plain Node), workerd and soak (inside workerd), smoke and e2e (a real `wrangler dev` driven
// from Node). `npm test` runs unit, workerd and smoke; `npm run test:all` runs every project (README.md, "Tests").
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** The e2e files `npm test` runs: `npm run dev` as the README gives it, and one browser match across origins. */
const SMOKE = ["test/e2e/fork/readme-dev.test.ts", "test/e2e/browser/cors-browser.test.ts", "test/e2e/fork/serve.test.ts"];

/** The long simulations: 1,000 injected faults, 40 seeded replays, 10,000 arena ticks against leaks. */
const SOAKS = ["test/worker/room/faults.test.ts", "test/worker/room/storage/replays.test.ts", "test/games/arena-leaks.test.ts"];

/** The D1 schema in migrations/, applied to each workerd project's database by test/worker/d1-setup.ts. */
const D1_MIGRATIONS = await readD1Migrations("./migrations");

const workerd = (name: string, include: string[], exclude: string[] = []) => ({
  // DEV_MODE as under `npm run dev`; tests of a deployment pass their own env to the app.
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" }, miniflare: { bindings: { DEV_MODE: "on", D1_MIGRATIONS } } })],
  // Generous: the long simulations must not fail on a busy 2-core machine; timing lives in benchmarks.
  test: { name, include, exclude, testTimeout: 60_000, setupFiles: ["test/worker/d1-setup.ts"] },
});

const e2e = (name: string, include: string[], exclude: string[] = []) => ({
  test: {
    name,
    include,
    exclude,
    environment: "node",
    // Stops every server and browser a file started, also when the file fails (test/e2e/kit/cleanup.ts).
    setupFiles: ["test/e2e/kit/setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  test: {
    // Vitest's default is one worker per core less one: a single file at a time on a 2-core machine. Two let an
    // e2e file, which mostly waits on wrangler and Chromium, run beside a workerd file.
    maxWorkers: 2,
    projects: [
      { test: { name: "unit", include: ["test/docs/**/*.test.ts", "test/scripts/**/*.test.ts", "test/sdk/**/*.test.ts"], environment: "node" } },
      workerd("workerd", ["test/{engine,games,worker,client}/**/*.test.ts"], SOAKS),
      workerd("soak", SOAKS),
      e2e("smoke", SMOKE),
      // The fixtures hold a test that fails on purpose; cleanup.test.ts runs it in a child vitest of its own.
      e2e("e2e", ["test/e2e/**/*.test.ts"], [...SMOKE, "test/e2e/fixtures/**"]),
    ],
  },
});
