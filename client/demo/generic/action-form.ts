// One form per game action, generated from the action's JSON Schema: a field per property, the payload built from
// what was typed, and the room's answer (applied, or its typed refusal) shown under the form.
import type { JsonSchema } from "../../../src/protocol/catalog.ts";
import type { ErrorBody } from "../../../src/protocol/errors.ts";
import { h } from "../dom.ts";

export interface ActionForms {
  /** The room's refusal of one sent action; false when no form sent it. */
  refused(error: ErrorBody): boolean;
  /**
   * Marks the forms whose actions the room has processed: every seq up to `lastAcked` that was not refused
   * (acks and refusals arrive in seq order, and a refusal has already taken its seq off the waiting list).
   */
  acknowledged(lastAcked: number): void;
  /** Spectators and finished matches cannot act. */
  enable(enabled: boolean, why: string): void;
}

/** Sends an action; returns its seq. */
export type Send = (action: string, payload: Record<string, unknown>) => number;

interface Field {
  readonly name: string;
  readonly required: boolean;
  /** The value to send, `undefined` to leave the property out, or an Error saying what is wrong with the input. */
  read(): unknown;
  readonly element: HTMLElement;
}

const schemaOf = (value: unknown): JsonSchema => (typeof value === "object" && value !== null ? (value as JsonSchema) : {});
const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

/** What the schema allows, in words, beside the field: "integer from 1 to 3", "up to 24 characters", "optional". */
function hint(schema: JsonSchema, required: boolean): string {
  const parts: string[] = [];
  const type = typeof schema["type"] === "string" ? schema["type"] : Array.isArray(schema["enum"]) ? "one of" : "JSON";
  const [min, max] = [num(schema["minimum"]), num(schema["maximum"])];
  // zod writes an unbounded integer's range as the safe-integer limits: not worth showing.
  const bounded = (n: number | undefined) => n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER;
  if (type === "integer" || type === "number") {
    parts.push(bounded(min) && bounded(max) ? `${type} from ${min} to ${max}` : bounded(min) ? `${type} ≥ ${min}` : bounded(max) ? `${type} ≤ ${max}` : type);
  } else if (type === "string") {
    const maxLength = num(schema["maxLength"]);
    parts.push(maxLength === undefined ? "text" : `text, up to ${maxLength} characters`);
  } else parts.push(type);
  if (!required) parts.push(schema["default"] === undefined ? "optional" : `default ${JSON.stringify(schema["default"])}`);
  return parts.join(" · ");
}

function field(name: string, schema: JsonSchema, required: boolean, formId: string): Field {
  const id = `${formId}-${name}`;
  const label = (control: HTMLElement) =>
    h("label", { class: "af-field", for: id }, h("span", { class: "af-name" }, name), h("span", { class: "af-hint" }, hint(schema, required)), control);
  const choices = Array.isArray(schema["enum"]) ? schema["enum"] : undefined;
  const type = schema["type"];
  if (choices) {
    const select = h("select", { id, name }, ...(required ? [] : [h("option", { value: "" }, "(leave out)")]), ...choices.map((choice, i) => h("option", { value: String(i) }, JSON.stringify(choice))));
    return { name, required, element: label(select), read: () => (select.value === "" ? undefined : choices[Number(select.value)]) };
  }
  if (type === "boolean") {
    const box = h("input", { id, name, type: "checkbox" });
    return { name, required, element: label(box), read: () => box.checked };
  }
  if (type === "integer" || type === "number" || type === "string") {
    const input = h("input", { id, name, type: type === "string" ? "text" : "number", autocomplete: "off" });
    const [min, max, maxLength] = [num(schema["minimum"]), num(schema["maximum"]), num(schema["maxLength"])];
    if (type !== "string") input.step = type === "integer" ? "1" : "any";
    if (min !== undefined && Math.abs(min) < Number.MAX_SAFE_INTEGER) input.min = String(min);
    if (max !== undefined && Math.abs(max) < Number.MAX_SAFE_INTEGER) input.max = String(max);
    if (maxLength !== undefined) input.maxLength = maxLength;
    const start = schema["default"] ?? (required && type !== "string" ? (min !== undefined && Math.abs(min) < Number.MAX_SAFE_INTEGER ? min : 0) : undefined);
    if (start !== undefined) input.value = String(start);
    // A number field sends what was typed; the room, not the page, says whether it fits the schema.
    const read = () => (input.value === "" ? undefined : type === "string" ? input.value : Number(input.value));
    return { name, required, element: label(input), read };
  }
  // Objects, arrays, unions: typed as JSON.
  const area = h("textarea", { id, name, rows: "2", spellcheck: "false", placeholder: "JSON" });
  const read = () => {
    if (area.value.trim() === "") return undefined;
    try {
      return JSON.parse(area.value) as unknown;
    } catch {
      return new Error(`${name} is not valid JSON`);
    }
  };
  return { name, required, element: label(area), read };
}

/** "not_your_turn" → "not your turn"; other codes keep their own message. */
export const refusalText = (error: ErrorBody): string =>
  error.code === "rejected" && error.detail ? error.detail.replaceAll("_", " ") : `${error.message}${error.detail ? ` ${error.detail}` : ""}`;

export function createActionForms(container: HTMLElement, actions: Readonly<Record<string, JsonSchema>>, send: Send): ActionForms {
  const waiting = new Map<number, HTMLElement>();
  const forms: { form: HTMLFormElement; button: HTMLButtonElement }[] = [];
  const notice = h("p", { class: "af-disabled", hidden: "" });
  container.replaceChildren(notice);

  for (const [action, raw] of Object.entries(actions)) {
    const schema = schemaOf(raw);
    const required = new Set(Array.isArray(schema["required"]) ? schema["required"].map(String) : []);
    const properties = Object.entries(schemaOf(schema["properties"]));
    const formId = `action-${action}`;
    const fields = properties.map(([name, property]) => field(name, schemaOf(property), required.has(name), formId));
    const status = h("p", { class: "af-status", role: "status" });
    const button = h("button", { type: "submit", class: "primary" }, `Send ${action}`);
    // noValidate: the page sends what was typed, so the room's own refusal of a bad payload shows.
    const form = h("form", { class: "action-form", "data-action": action, id: formId }, h("h3", {}, action), ...fields.map((f) => f.element), h("div", { class: "af-foot" }, button, status));
    form.noValidate = true;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const payload: Record<string, unknown> = {};
      for (const f of fields) {
        const value = f.read();
        if (value instanceof Error) return show(status, "error", value.message);
        if (value !== undefined) payload[f.name] = value;
      }
      const seq = send(action, payload);
      waiting.set(seq, status);
      show(status, "pending", `Sent #${seq}…`);
    });
    forms.push({ form, button });
    container.append(form);
  }
  if (forms.length === 0) container.append(h("p", { class: "af-disabled" }, "This game has no actions."));

  function show(status: HTMLElement, state: "pending" | "ok" | "error", text: string): void {
    status.dataset["state"] = state;
    status.textContent = text;
  }

  return {
    refused(error) {
      const status = error.seq === undefined ? undefined : waiting.get(error.seq);
      if (!status || error.seq === undefined) return false;
      waiting.delete(error.seq);
      show(status, "error", `Refused #${error.seq}: ${refusalText(error)} (${error.code})`);
      return true;
    },
    acknowledged(lastAcked) {
      for (const [seq, status] of waiting) {
        if (seq > lastAcked) continue;
        waiting.delete(seq);
        show(status, "ok", `Applied #${seq}`);
      }
    },
    enable(enabled, why) {
      notice.hidden = enabled;
      notice.textContent = why;
      for (const { button } of forms) button.disabled = !enabled;
    },
  };
}
