// The bench's own arithmetic: perf's JIT map cleaned to the latest code, samples folded into stacks, and ratios between hosts run by run.
import { describe, expect, it } from "vitest";
import type { Figures } from "../bench/results/figures.ts";
import { foldStacks, latestCode } from "../bench/servers/perf.ts";
import { check, type Measured } from "../bench/results/targets.ts";

describe("latestCode", () => {
  it("keeps, at each address, only the code put there last", () => {
    const map = ["1000 100 JS:*tick a.js:1:1", "2000 10 JS:^send a.js:2:2", "1000 100 JS:*deliver a.js:3:3", "1080 40 JS:+viewFor a.js:4:4", "3000 8 JS:~idle a.js:5:5"].join("\n");
    const { map: kept, dropped } = latestCode(`${map}\n`);
    // tick is replaced by deliver at the same start; deliver by viewFor where they overlap (0x1080-0x10c0).
    expect(kept.trim().split("\n")).toEqual(["2000 10 JS:^send a.js:2:2", "1080 40 JS:+viewFor a.js:4:4", "3000 8 JS:~idle a.js:5:5"]);
    expect(dropped).toBe(2);
  });

  it("keeps ranges that only touch", () => {
    const { map, dropped } = latestCode("100 10 a\n110 10 b\n");
    expect(map).toBe("100 10 a\n110 10 b\n");
    expect(dropped).toBe(0);
  });
});

describe("foldStacks", () => {
  it("folds perf script's samples root first, without offsets or binaries, counted", () => {
    const sample = (leaf: string) => `\n\t    55d0a1 ${leaf}+0x12 (/usr/bin/workerd)\n\t    55d0b2 JS:*tick a.js:1:1 (/tmp/perf-1.map)\n\t    55d0c3 main (/usr/bin/workerd)\n`;
    const script = [sample("deflate_slow"), sample("deflate_slow"), sample("send")].join("\n");
    expect(foldStacks(script)).toBe("main;JS:*tick a.js:1:1;deflate_slow 2\nmain;JS:*tick a.js:1:1;send 1\n");
  });
});

describe("ratios between hosts", () => {
  const run = (config: string, cpu: number): Figures => ({ config, serverCpuPerSec: cpu }) as Figures;
  const measured = (config: string, cpus: number[], median: number): Measured => ({ ...run(config, median), runs: cpus.map((cpu) => run(config, cpu)) });

  it("judge the ratio of the medians, and show the median of the run-by-run ratios beside it", () => {
    // Round by round 1.4, 1.1, 1.1; the medians come from different rounds (0.070 from the first, 0.060 from the third).
    const all = new Map([
      ["16x1@floor", measured("16x1@floor", [0.05, 0.09, 0.06], 0.06)],
      ["16x1@workerd", measured("16x1@workerd", [0.07, 0.099, 0.066], 0.07)],
    ]);
    const floor = check(all).find((c) => c.label.includes("÷ floor"));
    expect(floor?.value).toBeCloseTo(0.07 / 0.06, 6);
    expect(floor?.paired).toBeCloseTo(1.1, 6);
    expect(floor?.met).toBe(true);
  });

  it("pair nothing when a host is missing a run", () => {
    const all = new Map([
      ["16x1@floor", measured("16x1@floor", [0.05, 0.07], 0.06)],
      ["16x1@workerd", measured("16x1@workerd", [0.06, 0.084, 0.072], 0.072)],
    ]);
    expect(check(all).find((c) => c.label.includes("÷ floor"))?.paired).toBeNull();
  });
});
