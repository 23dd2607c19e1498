// The plain checks of action schemas agree with zod: the same inputs accepted, the same values returned, on every shipped action.
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { parseWith, plainCheck, UNDECIDED } from "../../src/engine/plain-check.ts";
import { games } from "../../src/games/index.ts";

/** Values a field may be sent: each type, the bounds of the shipped schemas and just past them, and shapes JSON can carry. */
const POOL: readonly unknown[] = [-1.5, -1, -0.25, 0, 0.5, 1, 1.01, 2, 7, 8, 9, 1000, 1000.5, 2 ** 53, -0, "", "a", "ab", "x".repeat(25), true, false, null, [], [1], {}, { a: 1 }];
const KEYS_EXTRA = ["extra", "toString", "valueOf"];

/** A seeded stream (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function inputs(schema: z.ZodType, count: number, seed: number, example: Record<string, unknown> = {}): unknown[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const shape = (schema as unknown as { _zod: { def: { shape?: Record<string, unknown> } } })._zod.def.shape ?? {};
  const out: unknown[] = [...POOL];
  for (let i = 0; i < count; i++) {
    const input: Record<string, unknown> = {};
    // Half the time a field takes the example's valid value, so inputs with many fields are valid often enough.
    for (const key of Object.keys(shape)) if (next() < 0.9) input[key] = Object.hasOwn(example, key) && next() < 0.5 ? example[key] : pick(POOL);
    if (next() < 0.15) input[pick(KEYS_EXTRA)] = pick(POOL);
    out.push(input);
  }
  return out;
}

const schemas = Object.entries(games).flatMap(([game, definition]) =>
  Object.entries(definition.actions as Record<string, { schema: z.ZodType }>).map(([action, { schema }]) => ({ name: `${game}.${action}`, schema, example: {} })),
);
const extra = [
  {
    name: "strip object",
    schema: z.object({ n: z.number().gt(0).lt(10), s: z.string().min(1).max(2), b: z.boolean().optional(), e: z.enum(["a", "ab"]), l: z.literal(7) }),
    example: { n: 2, s: "ab", b: true, e: "a", l: 7 },
  },
  { name: "length", schema: z.strictObject({ s: z.string().length(2) }), example: { s: "ab" } },
];

describe("plain checks", () => {
  it("exist for the plain shipped schemas and not for those with defaults or arrays", () => {
    const plain = schemas.filter(({ schema }) => plainCheck(schema)).map(({ name }) => name);
    // Not: arena.ping and tag.input (a default), battleship.place (an array).
    expect(plain).toEqual(["arena.input", "battleship.shuffle", "battleship.ready", "battleship.fire", "tic-tac-toe.place"]);
  });

  for (const { name, schema, example } of [...schemas, ...extra]) {
    it(`${name}: accepts exactly what zod accepts, and returns what it returns`, () => {
      const check = plainCheck(schema);
      let accepted = 0;
      for (const input of inputs(schema, 3000, name.length, example)) {
        const zod = schema.safeParse(input);
        const plain = check ? check(input) : UNDECIDED;
        if (check) {
          expect(plain !== UNDECIDED, JSON.stringify(input)).toBe(zod.success);
          // Same value, keys in the same order.
          if (plain !== UNDECIDED && zod.success) expect(JSON.stringify(plain)).toBe(JSON.stringify(zod.data));
        }
        const through = parseWith(schema, input);
        expect(through.success).toBe(zod.success);
        if (through.success && zod.success) expect(through.data).toEqual(zod.data);
        if (zod.success) accepted += 1;
      }
      // Where a plain check exists the generator reaches valid inputs too, so agreement is not all refusals.
      if (check) expect(accepted, name).toBeGreaterThan(30);
    });
  }
});
