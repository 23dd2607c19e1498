// Every action schema is strict and finite: no any/unknown/lazy, no unbounded string, array or number.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { games } from "../../src/games/index.ts";

type Def = { type: string; checks?: { _zod: { def: { check: string } } }[]; shape?: Record<string, Schema>; catchall?: Schema; element?: Schema; options?: Schema[]; innerType?: Schema };
type Schema = { _zod: { def: Def } };

/** What makes a schema unsafe to take from a client, as paths with reasons; empty when it is fine. */
function problems(schema: Schema, path = "payload"): string[] {
  const def = schema._zod.def;
  const checks = new Set((def.checks ?? []).map((c) => c._zod.def.check));
  switch (def.type) {
    case "object":
      return [
        ...(def.catchall?._zod.def.type === "never" ? [] : [`${path}: not strict (unknown keys accepted)`]),
        ...Object.entries(def.shape ?? {}).flatMap(([key, child]) => problems(child, `${path}.${key}`)),
      ];
    case "string":
      return checks.has("max_length") ? [] : [`${path}: string without a maximum length`];
    case "number":
      return checks.has("greater_than") && checks.has("less_than") ? [] : [`${path}: number without both bounds`];
    case "array":
      return [...(checks.has("max_length") ? [] : [`${path}: array without a maximum length`]), ...problems(def.element as Schema, `${path}[]`)];
    case "union":
      return (def.options ?? []).flatMap((option, i) => problems(option, `${path}|${i}`));
    case "optional":
    case "nullable":
    case "default":
      return problems(def.innerType as Schema, path);
    case "boolean":
    case "literal":
    case "enum":
    case "null":
      return [];
    default:
      return [`${path}: ${def.type} is not allowed in an action schema`];
  }
}

const actions = Object.values(games).flatMap((game) =>
  Object.entries(game.actions).map(([name, action]) => [`${game.name}.${name}`, action.schema as unknown as Schema] as const),
);

describe("action schemas", () => {
  it.each(actions)("%s is strict and finite", (_name, schema) => {
    expect(problems(schema)).toEqual([]);
  });

  it("the check catches any, unknown, lazy, loose objects and unbounded values", () => {
    const bad = z.object({
      a: z.any(),
      b: z.unknown(),
      c: z.lazy(() => z.string()),
      d: z.string(),
      e: z.number().min(0),
      f: z.array(z.boolean()),
      g: z.record(z.string(), z.int().min(0).max(1)),
    });
    expect(problems(bad as unknown as Schema)).toHaveLength(8);
  });
});
