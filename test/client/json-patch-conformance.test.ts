// The client's applyOps against the RFC 6902 conformance suite (json-patch-tests), with its few deviations on record.
/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import type { Operation } from "fast-json-patch";
import { applyOps } from "../../client/sdk/patch.ts";
import { sameJson } from "../kit/json.ts";

// The suite's data is vendored, unchanged and with its licence (see fixtures/json-patch-tests/SOURCE.md).
const files = import.meta.glob<string>("./fixtures/json-patch-tests/*.json", {
  query: "?raw",
  import: "default",
  eager: true,
});

interface Case {
  comment?: string;
  doc: unknown;
  patch: Operation[];
  expected?: unknown;
  error?: string;
  disabled?: boolean;
}

/**
 * Cases that are expected to fail, by file and index into it. A case listed here that starts passing
 * fails the run, so the list cannot outlive the deviation it records.
 */
const exceptions: Record<string, Record<number, string>> = {
  "tests.json": {
    // fast-json-patch reads any all-digit token as an array index, so "/00" and "/01" resolve to 0 and 1.
    87: "fast-json-patch accepts array indices with leading zeros (test /00)",
    88: "fast-json-patch accepts array indices with leading zeros (test /01)",
  },
  "spec_tests.json": {},
};

function load(name: string): Case[] {
  const entry = Object.entries(files).find(([path]) => path.endsWith(`/${name}`));
  if (!entry) throw new Error(`${name} not found in fixtures/json-patch-tests`);
  return JSON.parse(entry[1]) as Case[];
}

/** Why the case failed, or undefined when applyOps did what the record asks. */
function failure(test: Case): string | undefined {
  const result = applyOps(test.doc, test.patch);
  if ("error" in test) return result === undefined ? undefined : `expected an error (${test.error}), got ${JSON.stringify(result)}`;
  if (result === undefined) return "the patch did not apply";
  // A record with neither `expected` nor `error` only asks that the patch applies.
  // Key order does not matter (SOURCE.md): the comparison is structural.
  if (!("expected" in test) || sameJson(result, test.expected)) return undefined;
  return `expected ${JSON.stringify(test.expected)}, got ${JSON.stringify(result)}`;
}

describe("applyOps on the RFC 6902 conformance suite", () => {
  it("finds both files of the suite", () => {
    expect(Object.keys(files).map((path) => path.split("/").pop()).sort()).toEqual(["spec_tests.json", "tests.json"]);
  });

  it.each(Object.keys(exceptions))("passes every enabled case of %s except the documented ones", (name) => {
    const cases = load(name);
    const documented = exceptions[name] ?? {};
    const problems: string[] = [];
    let passed = 0;
    let excepted = 0;
    let disabled = 0;
    for (const [index, test] of cases.entries()) {
      const label = `${name} #${index} (${test.comment ?? "no comment"})`;
      if (test.disabled) {
        disabled += 1;
        if (index in documented) problems.push(`${label} is disabled in the suite: drop it from the exceptions`);
        continue;
      }
      const why = failure(test);
      if (index in documented) {
        if (why === undefined) problems.push(`${label} passes now: drop it from the exceptions`);
        else excepted += 1;
      } else if (why === undefined) passed += 1;
      else problems.push(`${label}: ${why}`);
    }
    for (const index of Object.keys(documented)) {
      if (Number(index) >= cases.length) problems.push(`${name} #${index} is listed as an exception but the file has no such case`);
    }
    console.log(`${name}: ${passed} passed, ${excepted} documented exceptions, ${disabled} disabled`);
    expect(problems).toEqual([]);
  });
});
