// A zod schema's plain subset as a plain function: Workers allow no eval, so zod interprets every parse, 20 a second per player.
import type { z } from "zod";

/** What a plain check returns when zod must decide (and word the error): a value no JSON input can hold. */
export const UNDECIDED: unique symbol = Symbol("undecided");

/**
 * The parsed value when the input is surely valid, else UNDECIDED. A value, not a wrapper: a check runs per field of
 * every input (20 a second per player), so it allocates nothing but the parsed object.
 */
export type PlainCheck = (input: unknown) => unknown;

/** Whether every bound holds: a loop, not `every` with a closure per call. */
function within(bounds: readonly ((value: number | string) => boolean)[], value: number | string): boolean {
  for (const ok of bounds) if (!ok(value)) return false;
  return true;
}

/** What zod keeps of a schema: its def, reached the way zod's own code reaches it. */
interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

const keysWithin = (def: object, allowed: readonly string[]): boolean => Object.keys(def).every((key) => allowed.includes(key));
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** One bound of a number or string: greater_than / less_than (inclusive or not) and the length checks, nothing custom. */
function boundOf(check: unknown, kind: "number" | "string"): ((value: number | string) => boolean) | undefined {
  const def = defOf(check) as (Def & { check?: string; value?: unknown; inclusive?: unknown; minimum?: unknown; maximum?: unknown; length?: unknown }) | undefined;
  if (!def || !keysWithin(def, ["check", "value", "inclusive", "minimum", "maximum", "length"])) return undefined;
  if (kind === "number" && typeof def.value === "number" && typeof def.inclusive === "boolean") {
    const { value: bound, inclusive } = def;
    if (def.check === "greater_than") return (n) => (inclusive ? (n as number) >= bound : (n as number) > bound);
    if (def.check === "less_than") return (n) => (inclusive ? (n as number) <= bound : (n as number) < bound);
  }
  if (kind === "string") {
    if (def.check === "min_length" && typeof def.minimum === "number") return (s) => (s as string).length >= (def.minimum as number);
    if (def.check === "max_length" && typeof def.maximum === "number") return (s) => (s as string).length <= (def.maximum as number);
    if (def.check === "length_equals" && typeof def.length === "number") return (s) => (s as string).length === def.length;
  }
  return undefined;
}

function boundsOf(def: Def, kind: "number" | "string"): ((value: number | string) => boolean)[] | undefined {
  const checks = (def.checks ?? []) as unknown[];
  const bounds = checks.map((check) => boundOf(check, kind));
  return bounds.every((bound) => bound !== undefined) ? (bounds as ((value: number | string) => boolean)[]) : undefined;
}

/**
 * A plain check for `schema`, or undefined when it uses anything outside the subset (defaults, transforms, refinements,
 * arrays, unions, loose objects...): those stay with zod. Within the subset the check accepts exactly what zod accepts
 * and returns what zod returns (test/engine/plain-check.test.ts compares them on every shipped action schema).
 */
export function plainCheck(schema: z.ZodType): PlainCheck | undefined {
  const def = defOf(schema);
  if (!def) return undefined;
  switch (def.type) {
    case "number": {
      const int = def.check === "number_format";
      if (int ? !(def.format === "safeint" && def.abort === false && keysWithin(def, ["type", "check", "abort", "format", "checks"])) : !keysWithin(def, ["type", "checks"])) return undefined;
      const bounds = boundsOf(def, "number");
      if (!bounds) return undefined;
      return (input) => (typeof input === "number" && Number.isFinite(input) && (!int || Number.isSafeInteger(input)) && within(bounds, input) ? input : UNDECIDED);
    }
    case "string": {
      const bounds = keysWithin(def, ["type", "checks"]) ? boundsOf(def, "string") : undefined;
      if (!bounds) return undefined;
      return (input) => (typeof input === "string" && within(bounds, input) ? input : UNDECIDED);
    }
    case "boolean":
      return keysWithin(def, ["type"]) ? (input) => (typeof input === "boolean" ? input : UNDECIDED) : undefined;
    case "literal":
    case "enum": {
      const values = def.type === "literal" ? (def.values as unknown[]) : Object.values(def.entries as object);
      if (!keysWithin(def, ["type", def.type === "literal" ? "values" : "entries"]) || !values.every((v) => typeof v === "string" || typeof v === "number")) return undefined;
      return (input) => (values.includes(input as string | number) ? input : UNDECIDED);
    }
    case "object":
      return objectCheck(def);
    default:
      return undefined;
  }
}

/** An object of plain fields, strict (`catchall: never`) or stripping unknown keys; an optional field may be absent. */
function objectCheck(def: Def): PlainCheck | undefined {
  const strict = defOf(def.catchall)?.type === "never";
  if (!keysWithin(def, strict ? ["type", "shape", "catchall"] : ["type", "shape"])) return undefined;
  const fields: { key: string; optional: boolean; check: PlainCheck }[] = [];
  for (const [key, field] of Object.entries(def.shape as Record<string, z.ZodType>)) {
    const fieldDef = defOf(field);
    const optional = fieldDef?.type === "optional" && keysWithin(fieldDef, ["type", "innerType"]);
    const check = plainCheck(optional ? (fieldDef.innerType as z.ZodType) : field);
    if (!check) return undefined;
    fields.push({ key, optional, check });
  }
  const known = new Set(fields.map((field) => field.key));
  return (input) => {
    if (!isRecord(input)) return UNDECIDED;
    if (strict) for (const key of Object.keys(input)) if (!known.has(key)) return UNDECIDED;
    const value: Record<string, unknown> = {};
    for (const { key, optional, check } of fields) {
      // Read as zod reads it (inherited keys included), so a field named like an Object.prototype member fails alike.
      const field = input[key];
      if (field === undefined) {
        if (optional) continue;
        return UNDECIDED;
      }
      const checked = check(field);
      if (checked === UNDECIDED) return UNDECIDED;
      value[key] = checked;
    }
    return value;
  };
}

const compiled = new WeakMap<z.ZodType, PlainCheck | null>();

/** zod's `safeParse`, through the plain check when the schema has one and the input passes it. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown): ReturnType<T["safeParse"]> {
  let check = compiled.get(schema);
  if (check === undefined) {
    check = plainCheck(schema) ?? null;
    compiled.set(schema, check);
  }
  const plain = check ? check(input) : UNDECIDED;
  return (plain !== UNDECIDED ? { success: true, data: plain } : schema.safeParse(input)) as ReturnType<T["safeParse"]>;
}
