// The tick clock: arrivals placed on the server's tick timeline, a delayed burst kept in place, jitter measured.
import { describe, expect, it } from "vitest";
import { createTickClock } from "../../client/sdk/netcode/clock.ts";
import { createTickBuffer } from "../../client/sdk/netcode/interpolate-ticks.ts";

describe("the tick clock", () => {
  it("places updates a tick apart, anchored on the least delayed, with the jitter as the 90th percentile of lateness", () => {
    const clock = createTickClock(50);
    // 75 ms away, late by 0–9 ms in turn.
    const ticks = Array.from({ length: 30 }, (_, k) => clock.observe(75 + k * 50 + (k % 10), k));
    expect(ticks).toEqual(Array.from({ length: 30 }, (_, k) => k));
    expect(clock.stats.base).toBe(75);
    expect(clock.stats.jitterMs).toBe(9);
    expect(clock.tickAt(75 + 125)).toBe(2.5);
  });

  it("does not leap forward after a delayed burst, nor stay behind once it has passed", () => {
    const clock = createTickClock(50);
    for (let k = 0; k < 10; k++) clock.observe(k * 50, k);
    // Update 10 is held 200 ms; 11 to 14 arrive right behind it; 15 on time.
    expect(clock.observe(700, 10)).toBe(10);
    for (let k = 11; k <= 14; k++) expect(clock.observe(701 + k - 11, k)).toBe(k);
    expect(clock.observe(750, 15)).toBe(15);
    expect(clock.stats.base).toBe(0);
  });

  it("moves its anchor at most 2 ms per update, so a tick counted twice does not shift everything drawn at once", () => {
    const clock = createTickClock(50);
    for (let k = 0; k < 10; k++) clock.observe(k * 50, k);
    // Update 10 comes 30 ms late with a version gap of 2: counted as tick 11, so the least delayed offset is now -50.
    expect(clock.observe(530, 12)).toBe(11);
    expect(clock.stats.base).toBe(-2);
    for (let k = 11; k < 20; k++) clock.observe(k * 50, k + 1);
    expect(clock.stats.base).toBe(-20);
  });

  it("counts the ticks of a quiet spell (no update: nothing changed), bounded by the versions that went by", () => {
    const clock = createTickClock(50);
    clock.observe(0, 0);
    expect(clock.observe(500, 10)).toBe(10);
    expect(clock.observe(1000, 11)).toBe(11);
  });

  it("the buffer holds the last positions through a quiet spell rather than sliding across it", () => {
    const buffer = createTickBuffer();
    buffer.push(0, { a: { x: 0, y: 0 } });
    buffer.push(10, { a: { x: 10, y: 0 } });
    expect(buffer.sample(5)).toEqual({ a: { x: 0, y: 0 } });
    expect(buffer.sample(9.5)).toEqual({ a: { x: 5, y: 0 } });
    expect(buffer.sample(20)).toEqual({ a: { x: 10, y: 0 } });
  });
});
