// Four projects: unit (plain Node), workerd (inside workerd), smoke and e2e (a real `wrangler dev` driven from Node).
// `npm test` runs unit, workerd and smoke; `npm run test:all` runs every project (README.md, "Tests").
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** The e2e files `npm test` runs: `npm run dev` as the README gives it, and one browser match across origins. */
const SMOKE = ["test/e2e/readme-dev.test.ts", "test/e2e/cors-browser.test.ts"];

const e2e = (name: string, include: string[], exclude: string[] = []) => ({
  test: {
    name,
    include,
    exclude,
    environment: "node",
    // Stops every server and browser a file started, also when the file fails (test/e2e/cleanup.ts).
    setupFiles: ["test/e2e/setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/docs/**/*.test.ts", "test/scripts/**/*.test.ts"], environment: "node" } },
      {
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        // Generous: the long simulations must not fail on a busy 2-core machine; timing lives in benchmarks.
        test: { name: "workerd", include: ["test/{engine,games,worker,client}/**/*.test.ts"], testTimeout: 60_000 },
      },
      e2e("smoke", SMOKE),
      e2e("e2e", ["test/e2e/**/*.test.ts"], SMOKE),
    ],
  },
});
