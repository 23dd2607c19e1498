// Player names: the one schema every route and every ticket uses, so a name shows the same everywhere it is read; chat lines pass the same checks.
import { z } from "zod";
import { settings } from "../settings.ts";

/** C0 and C1 controls, line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
/** Directional marks, embeddings, overrides and isolates: they make a name read differently from what it is. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/**
 * Invisible characters: format characters (zero-width space, word joiner, BOM, soft hyphen, tags...) except
 * the emoji joiner, and the blank "letters" and symbols that render as nothing (Hangul fillers, braille blank).
 */
const INVISIBLE = /(?!\u200d)\p{Cf}|[\u115f\u1160\u3164\uffa0\u2800]/u;
/** Something that shows: a letter, digit, punctuation mark or symbol. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

const codePoint = (text: string, pattern: RegExp): string => {
  const found = pattern.exec(text)?.[0] ?? "";
  return `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
};

/** Why a (normalized) name is refused, or undefined when it is fine. */
export const nameProblem = (name: string): string | undefined => textProblem(name, settings.maxNameLength);

/** Trimmed and NFC-normalized, as every shown text is checked (a lone surrogate is left for the check to refuse). */
export const normalizeText = (raw: string): string => (raw.isWellFormed() ? raw.normalize("NFC").trim() : raw);

/** Why a normalized text shown to other people (a name, a chat line) is refused, or undefined when it is fine. */
export function textProblem(text: string, maxLength: number): string | undefined {
  // A lone surrogate cannot be normalized or encoded as UTF-8; check it first.
  if (!text.isWellFormed()) return "contains an unpaired surrogate";
  const length = [...text].length;
  if (length === 0 || length > maxLength) return `must be 1 to ${maxLength} characters`;
  if (CONTROL.test(text)) return `contains a control character (${codePoint(text, CONTROL)})`;
  if (BIDI.test(text)) return `contains a bidirectional control character (${codePoint(text, BIDI)})`;
  if (INVISIBLE.test(text)) return `contains an invisible character (${codePoint(text, INVISIBLE)})`;
  if (!VISIBLE.test(text)) return "has no visible character";
  return undefined;
}

/** Trimmed, NFC-normalized, then checked: the schema of a name in every request body and ticket. */
export const playerName = z
  .string()
  .max(4 * settings.maxNameLength)
  .transform((raw, context) => {
    const name = normalizeText(raw);
    const problem = nameProblem(name);
    if (problem !== undefined) context.addIssue({ code: "custom", message: `name ${problem}`, params: { name: true } });
    return name;
  });
