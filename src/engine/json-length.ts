// The length of a value's JSON text without building it: large frozen parts (a state's static map) are measured once.
//
// A record's budget is checked after every step. With a large static part (10,000 obstacles) serializing the whole
// record each step costs milliseconds, though only a few entries changed: Immer's structural sharing keeps every
// unchanged part the same frozen object, so the length of each large one is remembered (a WeakMap, freed with it).

const LARGE = 256;
const lengths = new WeakMap<object, number>();

/** `JSON.stringify(value).length` for JSON data (plain objects, arrays, strings, numbers, booleans, null); 0 when JSON writes nothing. */
export function jsonLength(value: unknown): number {
  if (typeof value !== "object" || value === null) return JSON.stringify(value)?.length ?? 0;
  const known = lengths.get(value);
  if (known !== undefined) return known;
  // Anything with its own JSON form (a Date, say) is left to JSON.stringify.
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(value).length;
  const array = Array.isArray(value);
  const children: unknown[] = array ? value : Object.values(value);
  // A container of plain values is one native call; others add up their parts, so a large frozen part is measured once.
  const length = children.every(isPrimitive) ? JSON.stringify(value).length : array ? arrayLength(value) : objectLength(value as Record<string, unknown>);
  if (children.length >= LARGE && Object.isFrozen(value)) lengths.set(value, length);
  return length;
}

const isPrimitive = (value: unknown): boolean => typeof value !== "object" || value === null;

/** What JSON leaves out of an object, and writes as null in an array. */
const unwritten = (value: unknown): boolean => value === undefined || typeof value === "function" || typeof value === "symbol";

function arrayLength(items: readonly unknown[]): number {
  let length = 2 + Math.max(0, items.length - 1);
  // By index, so a hole counts as the null JSON writes for it.
  for (let i = 0; i < items.length; i++) length += unwritten(items[i]) ? 4 : jsonLength(items[i]);
  return length;
}

function objectLength(object: Record<string, unknown>): number {
  let length = 2;
  let written = 0;
  for (const key of Object.keys(object)) {
    const child = object[key];
    if (unwritten(child)) continue;
    length += JSON.stringify(key).length + 1 + jsonLength(child);
    written += 1;
  }
  return length + Math.max(0, written - 1);
}

/** A number's JSON text is at most this long ("-1.2345678901234567e-308"); a safe integer's at most 17. */
const NUMBER_MAX = 24;
const INTEGER_MAX = 17;
/** Whether JSON writes a character of `text` escaped, as up to 6 (`\u001f`, a lone surrogate `\ud800`): a loop, as keys and tokens are short. */
export function jsonEscapes(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}
const bounds = new WeakMap<object, number>();

/**
 * At least `JSON.stringify(value).length`, for JSON data, without writing a number: the room checks its record's
 * budget after every step, and writing a state's numbers is most of serializing it (64 positions and inputs: 20 µs a
 * step, 4 times the bound's cost). A string is exact unless it holds a character JSON escapes. Frozen containers are
 * remembered, so after a step only what the step made is walked. Infinity for anything with its own JSON form.
 */
export function jsonLengthBound(value: unknown): number {
  if (typeof value === "number") return Number.isSafeInteger(value) ? INTEGER_MAX : NUMBER_MAX;
  if (typeof value === "string") return 2 + (jsonEscapes(value) ? 6 * value.length : value.length);
  if (typeof value !== "object" || value === null) return 5;
  const known = bounds.get(value);
  if (known !== undefined) return known;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return Infinity;
  let length = 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) length += jsonLengthBound(value[i]) + 1;
  } else {
    for (const key of Object.keys(value)) length += jsonLengthBound(key) + 1 + jsonLengthBound((value as Record<string, unknown>)[key]) + 1;
  }
  if (Object.isFrozen(value)) bounds.set(value, length);
  return length;
}
