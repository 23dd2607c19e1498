// A hostile or broken server cannot pollute the client's prototypes or globals through a patch.
import { describe, expect, it } from "vitest";
import type { Operation } from "fast-json-patch";
import { applyOps } from "../../client/sdk/patch.ts";

const prefixes = ["", "/game", "/game/players", "/game/players/p1", "/game/list/0", "/roster"];
const targets = [
  "/__proto__/polluted",
  "/__proto__",
  "/constructor/prototype/polluted",
  "/constructor/keys",
  "/constructor/prototype/toString",
  "/constructor/assign",
  "/__proto__/constructor/keys",
];

// The same keys spelled with JSON escapes on the wire, as a filter on the raw text would miss them.
const escaped = ["/\\u005f\\u005fproto\\u005f\\u005f/polluted", "/\\u0063onstructor/prototype/polluted", "/\\u0063onstructor/keys"];

/** Every way in: writing at the path, or reading from it into a harmless one. */
function hostilePatches(): Operation[][] {
  const patches: Operation[][] = [];
  for (const prefix of prefixes) {
    for (const target of targets) {
      const path = `${prefix}${target}`;
      patches.push([{ op: "add", path, value: "polluted" }]);
      patches.push([{ op: "replace", path, value: { polluted: true } }]);
      patches.push([{ op: "copy", from: path, path: "/game/stolen" }]);
    }
  }
  for (const prefix of prefixes) {
    for (const target of escaped) patches.push(JSON.parse(`[{"op":"add","path":"${prefix}${target}","value":"polluted"}]`) as Operation[]);
  }
  // Values that carry a prototype key, parsed the way a client parses a message.
  for (const prefix of prefixes.slice(0, 4)) {
    patches.push([{ op: "add", path: `${prefix}/x`, value: JSON.parse('{"__proto__":{"polluted":true}}') }]);
    patches.push([{ op: "add", path: `${prefix}/y`, value: JSON.parse('{"a":{"constructor":{"prototype":{"polluted":true}}}}') }]);
  }
  return patches;
}

const view = () => ({ roster: { p1: { name: "ann" } }, game: { players: { p1: { x: 1 } }, list: [{ a: 1 }] } });

describe("hostile patches", () => {
  it("are all refused, and Object.prototype, Array.prototype and Object.keys stay intact", () => {
    const keys = Object.keys;
    const assign = Object.assign;
    const toString = Object.prototype.toString;
    const patches = hostilePatches();
    expect(patches.length).toBeGreaterThanOrEqual(100);
    const applied = patches.filter((ops) => applyOps(view(), ops) !== undefined);
    expect(applied).toEqual([]);
    expect(Object.keys).toBe(keys);
    expect(Object.assign).toBe(assign);
    expect(Object.prototype.toString).toBe(toString);
    for (const probe of [{}, [], Object.create(null) as object]) expect((probe as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("polluted");
    expect(Object.getOwnPropertyNames(Array.prototype)).not.toContain("polluted");
  });
});
