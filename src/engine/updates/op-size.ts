// The JSON length of a patch op from its parts' lengths: the diff weighs candidate ops without serializing them.
import { jsonEscapes } from "../json-length.ts";

// The JSON of an op around its path and value, e.g. `{"op":"replace","path":` + `,"value":` + `}`.
const OP_LENGTHS: Readonly<Record<string, number>> = { replace: 33, add: 29, remove: 23 };

/** `JSON.stringify(op).length` from the lengths of its path's JSON and its value's (views are JSON data: a value is always written). */
export const opSize = (op: string, pathLength: number, valueLength: number): number =>
  (OP_LENGTHS[op] as number) + pathLength + valueLength;

/** The length of `String(i)` for an array index. */
export const digits = (i: number): number => (i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : String(i).length);

/** A pointer token's length inside a JSON string: a token without characters JSON escapes is as long as it is. */
export const tokenLength = (token: string): number => (jsonEscapes(token) ? JSON.stringify(token).length - 2 : token.length);
