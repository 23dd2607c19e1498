// Flood control: a flooding socket is refused cheaply, warned at most once a second, then closed; others play on.
import { describe, expect, it } from "vitest";
import { settings } from "../../../../src/worker/settings.ts";
import { TestRoom } from "../../../kit/room.ts";
import { acknowledges, isType } from "../../../kit/socket.ts";

describe("a room under a message flood", () => {
  it("warns the flooder once, closes it with 1008 when it keeps on, and acknowledges an honest player as usual", async () => {
    const room = await TestRoom.create("arena", { rateLimited: true });
    const [ann, bob] = [await room.join("ann"), await room.join("bob")];
    const flood = settings.messageBurst + settings.abusePenalty + 50;
    for (let i = 0; i < flood; i++) ann.socket.send("{not json");
    expect((await ann.socket.closing()).code).toBe(1008);
    const errors = ann.socket.messages.filter(isType("error"));
    // The burst is parsed (and refused as bad JSON); everything after it is dropped unparsed, with one warning.
    expect(errors.filter((e) => e.code === "bad_json").length).toBeLessThanOrEqual(settings.messageBurst);
    expect(errors.filter((e) => e.code === "rate_limited").length).toBe(1);
    const seq = bob.socket.act("input", { dx: 1, dy: 0 });
    await bob.socket.flush();
    await room.tick(settings.flushActionTicks); // an ack waits until its step is stored
    await bob.socket.next(acknowledges(seq));
    expect(bob.socket.closed).toBeUndefined();
  });

  it("refuses actions beyond the per-tick quota, so the queue for a tick stays bounded", async () => {
    const room = await TestRoom.create("arena");
    const ann = await room.join("ann");
    for (let i = 0; i < settings.maxActionsPerTick + 3; i++) ann.socket.act("input", { dx: 0, dy: i / 100 });
    await ann.socket.flush();
    const limited = ann.socket.messages.filter(isType("error")).filter((e) => e.code === "rate_limited");
    const quota = settings.maxActionsPerTick;
    expect(limited.map((e) => e.seq)).toEqual([quota + 1, quota + 2, quota + 3]);
    await room.tick(settings.flushActionTicks); // an ack waits until its step is stored
    await ann.socket.flush();
    // The tick applied exactly the quota: its update acknowledges up to it, and no ack message went out per input.
    expect((await room.record()).seqs[ann.playerId]).toBe(quota);
    expect(ann.socket.messages.some(acknowledges(quota))).toBe(true);
    expect(ann.socket.messages.filter(isType("ack"))).toEqual([]);
  });
});
