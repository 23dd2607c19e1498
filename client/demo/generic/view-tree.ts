// A live tree of a JSON view: unchanged subtrees (the same reference, thanks to the SDK's copy-along patching) keep
// their rows, and every row the last update changed is marked and flashes.
import { h } from "../dom.ts";

// Bounds on what one tree draws, so a huge view (the arena's 10,000 obstacles) stays a page, not a freeze.
const MAX_CHILDREN = 200;
const MAX_DEPTH = 12;
const MAX_TEXT = 160;

type Kind = "array" | "object" | "leaf";

interface TreeNode {
  row: HTMLElement;
  value: unknown;
  kind: Kind;
  /** A leaf's value text; a container's size. */
  text: HTMLElement;
  list?: HTMLElement;
  children?: Map<string, TreeNode>;
  more?: HTMLElement;
}

export interface ViewTree {
  /** Show `view`; returns the JSON Pointer paths the update changed (empty when nothing did). */
  update(view: unknown): readonly string[];
}

const kindOf = (value: unknown, depth: number): Kind =>
  depth < MAX_DEPTH && typeof value === "object" && value !== null ? (Array.isArray(value) ? "array" : "object") : "leaf";

const pointer = (path: string, key: string): string => `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;

function leafText(value: unknown): { text: string; type: string } {
  const type = value === null ? "null" : typeof value;
  const raw = typeof value === "string" ? JSON.stringify(value) : type === "object" ? JSON.stringify(value) : String(value);
  return { text: raw.length > MAX_TEXT ? `${raw.slice(0, MAX_TEXT)}…` : raw, type };
}

const entriesOf = (value: unknown): [string, unknown][] => Object.entries(value as Record<string, unknown>);

/** `note(key)` can name a key (a player id gets the player's name beside it). */
export function createViewTree(container: HTMLElement, note: (key: string) => string | undefined): ViewTree {
  let root: TreeNode | undefined;
  let marked: HTMLElement[] = [];

  function keyLabel(key: string): HTMLElement {
    const name = note(key);
    return h("span", { class: "vt-key" }, key, ...(name ? [h("span", { class: "vt-note" }, name)] : []));
  }

  function build(key: string | undefined, value: unknown, path: string, depth: number): TreeNode {
    const kind = kindOf(value, depth);
    if (kind === "leaf") {
      const { text, type } = leafText(value);
      const span = h("span", { class: `vt-val vt-${type}` }, text);
      const row = h("div", { class: "vt-row", "data-path": path }, ...(key === undefined ? [] : [keyLabel(key), ": "]), span);
      return { row, value, kind, text: span };
    }
    const size = h("span", { class: "vt-meta" });
    const list = h("div", { class: "vt-list" });
    const summary = h("summary", { "data-path": path }, ...(key === undefined ? [h("span", { class: "vt-key" }, "view")] : [keyLabel(key)]), " ", size);
    const row = h("details", { class: "vt-node", open: "" }, summary, list);
    const node: TreeNode = { row, value, kind, text: size, list, children: new Map() };
    fill(node, value, path, depth, []);
    return node;
  }

  /** Brings a container's rows to `value`: keeps, patches, adds and removes rows by key. */
  function fill(node: TreeNode, value: unknown, path: string, depth: number, changes: string[]): void {
    const entries = entriesOf(value);
    const shown = entries.slice(0, MAX_CHILDREN);
    const children = node.children ?? new Map<string, TreeNode>();
    const keep = new Set(shown.map(([key]) => key));
    for (const [key, child] of children) {
      if (keep.has(key)) continue;
      child.row.remove();
      children.delete(key);
      changes.push(`${pointer(path, key)} removed`);
    }
    for (const [key, child] of shown) {
      const at = pointer(path, key);
      const held = children.get(key);
      if (!held) {
        const added = build(key, child, at, depth + 1);
        children.set(key, added);
        node.list?.insertBefore(added.row, node.more ?? null);
        if (root) mark(added.row, changes, at);
      } else if (held.value !== child) {
        const next = patch(held, key, child, at, depth + 1, changes);
        if (next !== held) children.set(key, next);
      }
    }
    node.more?.remove();
    node.more = entries.length > shown.length ? h("div", { class: "vt-more" }, `… ${entries.length - shown.length} more not shown`) : undefined;
    if (node.more) node.list?.append(node.more);
    node.text.textContent = node.kind === "array" ? `[${entries.length}]` : `{${entries.length}}`;
    node.value = value;
  }

  function patch(node: TreeNode, key: string | undefined, value: unknown, path: string, depth: number, changes: string[]): TreeNode {
    const kind = kindOf(value, depth);
    if (kind !== node.kind) {
      const fresh = build(key, value, path, depth);
      node.row.replaceWith(fresh.row);
      mark(fresh.row, changes, path);
      return fresh;
    }
    if (kind === "leaf") {
      const { text, type } = leafText(value);
      node.text.textContent = text;
      node.text.className = `vt-val vt-${type}`;
      node.value = value;
      mark(node.row, changes, path);
      return node;
    }
    fill(node, value, path, depth, changes);
    return node;
  }

  function mark(row: HTMLElement, changes: string[], path: string): void {
    changes.push(path);
    row.classList.add("vt-changed");
    marked.push(row);
    row.animate([{ backgroundColor: "rgba(255, 209, 102, 0.45)" }, { backgroundColor: "rgba(255, 209, 102, 0)" }], { duration: 1_400, easing: "ease-out" });
  }

  return {
    update(view) {
      if (root?.value === view) return [];
      const changes: string[] = [];
      const previous = marked;
      marked = [];
      if (!root) {
        root = build(undefined, view, "", 0);
        container.replaceChildren(root.row);
      } else {
        const next = patch(root, undefined, view, "", 0, changes);
        if (next !== root) container.replaceChildren(next.row);
        root = next;
      }
      // The marks say what the last update changed: the previous update's marks go once a new one lands.
      for (const row of previous) if (!marked.includes(row)) row.classList.remove("vt-changed");
      return changes;
    },
  };
}
