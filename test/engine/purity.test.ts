// Rules and engine must stay deterministic and platform-free: no clocks, no Math.random, no cloudflare:*.
/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";

const sources = import.meta.glob<string>(["../../src/engine/**/*.ts", "../../src/games/**/*.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});

const forbidden: [string, RegExp][] = [
  ["Date.now", /\bDate\.now\b/],
  ["new Date()", /\bnew Date\(\s*\)/],
  ["performance.now", /\bperformance\.now\b/],
  ["Math.random", /\bMath\.random\b/],
  ["crypto randomness", /\bcrypto\.(getRandomValues|randomUUID)\b/],
  ["a cloudflare:* import", /from\s+["']cloudflare:|import\(\s*["']cloudflare:/],
];

describe("engine and game sources", () => {
  it("are found", () => {
    expect(Object.keys(sources).length).toBeGreaterThanOrEqual(8);
  });

  it.each(Object.entries(sources))("%s reads no clock, no Math.random and imports nothing from cloudflare:*", (_path, text) => {
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    for (const [name, pattern] of forbidden) expect(pattern.test(code), name).toBe(false);
  });

  it("the scan catches a file that breaks the rule", () => {
    const bad = "export const roll = () => Math.random() + Date.now();";
    expect(forbidden.some(([, pattern]) => pattern.test(bad))).toBe(true);
  });
});
