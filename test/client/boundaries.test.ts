// Source scans: the SDK reaches the server only through src/protocol (and games, as types), and no close code is a bare number.
/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";

const load = (files: Record<string, string>) => Object.entries(files);
const sdk = load(import.meta.glob<string>("../../client/sdk/**/*.ts", { query: "?raw", import: "default", eager: true }));
const closers = load(
  import.meta.glob<string>(["../../src/worker/**/*.ts", "../../client/**/*.ts"], { query: "?raw", import: "default", eager: true }),
);

/** Every `import … from "…src/…"` of a file, with whether it is `import type`. */
const serverImports = (text: string) =>
  [...text.matchAll(/^(import|export)( type)? [^;]*? from "((?:\.\.\/)+src\/[^"]+)";$/gm)].map((m) => ({ path: m[3] ?? "", typeOnly: m[2] === " type" }));

const allowed = (path: string, typeOnly: boolean) => /\/src\/protocol\//.test(path) || (typeOnly && /\/src\/games\//.test(path));

/** A close call or close-code comparison with a literal number in it. */
const bareCode = /\.close\(\s*\d{4}|\bcode\s*[!=]==?\s*\d{4}|closeQuietly\([^,]+,\s*\d{4}/;

describe("the client SDK", () => {
  it("is found", () => {
    expect(sdk.length).toBeGreaterThanOrEqual(6);
  });

  it.each(sdk)("%s imports from src/ only the protocol, and games as types", (_path, text) => {
    for (const { path, typeOnly } of serverImports(text)) expect(allowed(path, typeOnly), path).toBe(true);
  });

  it("the scan catches an engine import and a value import of a game", () => {
    expect(serverImports('import type { X } from "../../src/engine/updates/views.ts";').every((i) => allowed(i.path, i.typeOnly))).toBe(false);
    expect(serverImports('import { games } from "../../src/games/index.ts";').every((i) => allowed(i.path, i.typeOnly))).toBe(false);
  });
});

describe("close codes", () => {
  it.each(closers)("%s names every close code from the protocol's table", (_path, text) => {
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    expect(bareCode.test(code)).toBe(false);
  });

  it("the scan catches a bare close code", () => {
    expect(bareCode.test('ws.close(4001, "replaced")')).toBe(true);
    expect(bareCode.test("if (event.code === 4002) stop();")).toBe(true);
  });
});
