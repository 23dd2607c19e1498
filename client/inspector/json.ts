// JSON for people: a compact pretty-printer, HTML syntax colouring, and the paths where two values differ.

/** Pretty JSON that keeps short arrays and objects on one line, so a game state fits a narrow column. */
export function formatJson(value: unknown, indent = "", width = 64): string {
  const flat = JSON.stringify(value);
  if (flat === undefined) return "undefined";
  if (typeof value !== "object" || value === null || flat.length + indent.length <= width) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((item) => inner + formatJson(item, inner, width));
    return `[\n${items.join(",\n")}\n${indent}]`;
  }
  // A key takes room on its value's first line.
  const entries = Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatJson(item, inner, width - key.length - 4)}`);
  return entries.length === 0 ? "{}" : `{\n${entries.join(",\n")}\n${indent}}`;
}

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Colour formatted JSON: keys, strings, numbers and literals get a class each (see inspector.css). */
export function highlightJson(formatted: string): string {
  const token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let html = "";
  let last = 0;
  for (const match of formatted.matchAll(token)) {
    html += escapeHtml(formatted.slice(last, match.index));
    const [whole, string, colon, literal, number] = match;
    if (string !== undefined) html += colon ? `<i class="k">${escapeHtml(string)}</i>${colon}` : `<i class="s">${escapeHtml(string)}</i>`;
    else if (literal !== undefined) html += `<i class="l">${literal}</i>`;
    else if (number !== undefined) html += `<i class="n">${number}</i>`;
    last = match.index + whole.length;
  }
  return html + escapeHtml(formatted.slice(last));
}

/** JSON pointers where `a` and `b` differ (key order ignored), at most `limit` of them; empty when equal. */
export function differingPaths(a: unknown, b: unknown, limit = 8, path = ""): string[] {
  if (a === b) return [];
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return [path || "/"];
  }
  const out: string[] = [];
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    if (out.length >= limit) break;
    const child = `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (!Object.hasOwn(left, key) || !Object.hasOwn(right, key)) out.push(child);
    else out.push(...differingPaths(left[key], right[key], limit - out.length, child));
  }
  return out;
}
