// The fixed-step timeline: no drift, bounded catch-up, idempotent when an alarm repeats.
import { describe, expect, it } from "vitest";
import { dueTicks, nextTickAt, resumeTimeline, startTimeline } from "../../../../src/worker/room/wakes/tick-loop.ts";

describe("the tick timeline", () => {
  it("schedules tick n at start + n × period, however late the alarms fire", () => {
    let timeline = startTimeline(1000, 50);
    const fired = [1061, 1100, 1157, 1203];
    const runs = fired.map((now) => {
      const { run, next } = dueTicks(timeline, now, 4);
      timeline = next;
      return [run, nextTickAt(timeline)];
    });
    expect(runs).toEqual([
      [1, 1100],
      [1, 1150],
      [1, 1200],
      [1, 1250],
    ]);
  });

  it("runs nothing when an alarm fires early or twice", () => {
    const timeline = startTimeline(1000, 50);
    expect(dueTicks(timeline, 1049, 4).run).toBe(0);
    const once = dueTicks(timeline, 1050, 4).next;
    expect(dueTicks(once, 1050, 4)).toEqual({ run: 0, next: once });
  });

  it("catches up at most the limit and drops older ticks instead of falling further behind", () => {
    const { run, next } = dueTicks(startTimeline(0, 50), 1000, 4);
    expect(run).toBe(4);
    expect(nextTickAt(next)).toBe(1050);
  });

  it("resumes with one tick due when an alarm finds no timeline in memory", () => {
    expect(dueTicks(resumeTimeline(5000, 50), 5000, 4).run).toBe(1);
  });
});
