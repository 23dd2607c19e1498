// Exactly-once verdicts for an action's seq.
import { describe, expect, it } from "vitest";
import { judgeSeq } from "../../src/engine/sequence.ts";

describe("an action's seq", () => {
  it.each([
    [3, 5, 0, "duplicate"],
    [5, 5, 0, "duplicate"],
    [6, 5, 7, "queued"],
    [8, 5, 7, "accept"],
    [6, 5, 0, "accept"],
    [5 + 256, 5, 0, "accept"],
    [5 + 257, 5, 0, "too_far"],
  ] as const)("%i with %i applied and %i queued is %s", (seq, applied, queued, verdict) => {
    expect(judgeSeq(seq, applied, queued, 256)).toBe(verdict);
  });
});
