// Shallow arrays (a position `[x, y]`, a list of positions): how many entries changed, and the least their ops weigh, without walking them.
import { digits, opSize } from "./op-size.ts";

/** JSON writes an array's undefined entry as null; so does the patch, or its `value` would vanish. */
export const jsonEntry = (value: unknown): unknown => (value === undefined ? null : value);

/** A JSON primitive, or undefined (a hole), which the patch writes as null: each at least one character long. */
const isPlain = (item: unknown): boolean => item === null || item === undefined || typeof item === "number" || typeof item === "string" || typeof item === "boolean";

/** An array of plain values only. */
const isFlat = (item: unknown): boolean => Array.isArray(item) && item.every(isPlain);

/**
 * How many entries of two shallow arrays differ (extra ones included): arrays whose entries are plain values or
 * arrays of them. -1 when either holds an object or a deeper array, whose diff would need walking to count.
 */
export function shallowChanges(before: unknown[], after: unknown[]): number {
  const common = Math.min(before.length, after.length);
  let changed = 0;
  for (let i = 0; i < common; i++) {
    const change = entryChange(jsonEntry(before[i]), jsonEntry(after[i]));
    if (change === -1) return -1;
    changed += change;
  }
  const longer = before.length > after.length ? before : after;
  for (let i = common; i < longer.length; i++) if (!isPlain(longer[i]) && !isFlat(longer[i])) return -1;
  return changed + longer.length - common;
}

/** 1 when the diff of two entries of shallow arrays has ops, 0 when it has none; -1 when either is not such an entry. */
function entryChange(old: unknown, next: unknown): number {
  const oldPlain = isPlain(old);
  const nextPlain = isPlain(next);
  if (oldPlain && nextPlain) return old === next ? 0 : 1;
  if (old === next) return isFlat(old) ? 0 : -1;
  if (oldPlain || nextPlain) return isFlat(oldPlain ? next : old) ? 1 : -1;
  if (!Array.isArray(old) || !Array.isArray(next)) return -1;
  const changed = flatChanges(old, next);
  return changed > 0 ? 1 : changed;
}

/** How many entries of two arrays of plain values differ (extra ones included); -1 when either holds an object or array. */
function flatChanges(before: unknown[], after: unknown[]): number {
  const common = Math.min(before.length, after.length);
  let changed = 0;
  for (let i = 0; i < common; i++) {
    const old = jsonEntry(before[i]);
    const next = jsonEntry(after[i]);
    if (!isPlain(old) || !isPlain(next)) return -1;
    if (old !== next) changed += 1;
  }
  const longer = before.length > after.length ? before : after;
  for (let i = common; i < longer.length; i++) if (!isPlain(longer[i])) return -1;
  return changed + longer.length - common;
}

/**
 * The least JSON length of the entry ops the diff would give two shallow arrays at a path of JSON length
 * `pathLength` (with their commas): a plain value changed to another is one `replace` of at least one character;
 * any other changed entry has at least one op on it or inside it, none shorter than a `remove` of it.
 */
export function leastPartsSize(before: unknown[], after: unknown[], pathLength: number): number {
  let total = 0;
  const common = Math.min(before.length, after.length);
  for (let i = 0; i < common; i++) {
    const old = jsonEntry(before[i]);
    const next = jsonEntry(after[i]);
    if (entryChange(old, next) === 0) continue;
    total += (isPlain(old) && isPlain(next) ? opSize("replace", pathLength + 1 + digits(i), 1) : opSize("remove", pathLength + 1 + digits(i), 0)) + 1;
  }
  for (let i = after.length; i < before.length; i++) total += opSize("remove", pathLength + 1 + digits(i), 0) + 1;
  for (let i = before.length; i < after.length; i++) total += opSize("add", pathLength + 1 + digits(i), 1) + 1;
  return total;
}
