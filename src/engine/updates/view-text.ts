// JSON text of a view that reuses the text of large unchanged parts: a snapshot costs what changed, not the view's size.
//
// Views pass unchanged parts of the state through by reference (Immer's structural sharing), so a large
// part that did not change is the same object as last time, and its text can be too. Only containers
// with at least `LARGE` entries are remembered, so the cache holds a handful of strings, each freed with
// the state it came from (a WeakMap keyed by the frozen state object).

const LARGE = 256;
const texts = new WeakMap<object, string>();

/** The same text as `JSON.stringify(value)` for JSON data (plain objects, arrays, strings, numbers, booleans, null). */
export function viewText(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  const cached = texts.get(value);
  if (cached !== undefined) return cached;
  // Anything with its own JSON form (a Date, say) is left to JSON.stringify, as are small leaves.
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(value);
  const text = Array.isArray(value) ? arrayText(value) : objectText(value as Record<string, unknown>);
  if ((Array.isArray(value) ? value.length : Object.keys(value).length) >= LARGE) texts.set(value, text);
  return text;
}

function arrayText(items: readonly unknown[]): string {
  if (items.every(isPrimitive)) return JSON.stringify(items);
  // Array.from visits holes too (as undefined), which `map` would skip, so a sparse array writes null there as JSON does.
  return `[${Array.from(items, (item) => (item === undefined || typeof item === "function" ? "null" : viewText(item))).join(",")}]`;
}

function objectText(object: Record<string, unknown>): string {
  // An object of plain values is one native call.
  if (Object.values(object).every(isPrimitive)) return JSON.stringify(object);
  const parts: string[] = [];
  for (const key of Object.keys(object)) {
    const child = object[key];
    if (child === undefined || typeof child === "function" || typeof child === "symbol") continue;
    parts.push(`${JSON.stringify(key)}:${viewText(child)}`);
  }
  return `{${parts.join(",")}}`;
}

const isPrimitive = (value: unknown): boolean => typeof value !== "object" || value === null;
