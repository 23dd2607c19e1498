// Prototype keys anywhere in a message are refused with invalid_payload: nothing acknowledged, nothing changed.
import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../../../src/protocol/messages.ts";
import { TestRoom } from "../../../kit/room.ts";
import { acknowledges, isType } from "../../../kit/socket.ts";
import { settings } from "../../../../src/worker/settings.ts";

/** Wrap `inner` `depth` levels deep, alternating objects and arrays. */
const nest = (inner: string, depth: number): string => {
  let text = inner;
  for (let i = 0; i < depth; i++) text = i % 2 ? `[${text}]` : `{"k${i}":${text}}`;
  return text;
};

const frames: [string, string][] = [];
for (const key of ["__proto__", "constructor", "prototype", "__proto\\u005f_"]) {
  frames.push([`${key} beside valid payload keys`, `{"type":"action","seq":1,"action":"input","payload":{"dx":0,"dy":0,"${key}":{"dx":1}}}`]);
  frames.push([`${key} at the top level`, `{"type":"action","seq":1,"action":"input","payload":{"dx":0,"dy":0},"${key}":{}}`]);
  for (const depth of [1, 2, 5, 20]) {
    frames.push([`${key} ${depth} levels down`, `{"type":"action","seq":1,"action":"input","payload":{"dx":0,"dy":0,"extra":${nest(`{"${key}":1}`, depth)}}}`]);
  }
  frames.push([`${key} in a resync`, `{"type":"resync","${key}":{"x":1}}`]);
}

describe("prototype keys in a message", () => {
  it(`are refused in all ${frames.length} shapes with invalid_payload, nothing acknowledged, state unchanged`, async () => {
    const room = await TestRoom.create("arena");
    const [ann, bob] = [await room.join("ann"), await room.join("bob")];
    const before = await room.record();
    const bobFrom = bob.socket.messages.length;
    for (const [name, frame] of frames) {
      const from = ann.socket.messages.length;
      ann.socket.send(frame);
      const error = await ann.socket.next(isType("error"), from);
      expect(error.code, name).toBe("invalid_payload");
      expect(error.detail, name).toMatch(/(__proto__|constructor|prototype): forbidden key$/);
    }
    await ann.socket.flush();
    await bob.socket.flush();
    expect(await room.record()).toEqual(before);
    // Nothing was queued either: the next tick acknowledges nothing and records no seq.
    await room.tick();
    await ann.socket.flush();
    expect(ann.socket.messages.filter(acknowledges(1))).toEqual([]);
    expect(ann.socket.closed).toBeUndefined();
    expect((await room.record()).seqs).toEqual(before.seqs);
    expect(bob.socket.messages.slice(bobFrom).filter((m: ServerMessage) => m.type === "error")).toEqual([]);
    // The same socket's next honest action is applied as usual.
    const seq = ann.socket.act("input", { dx: 1, dy: 0 }, 1);
    await ann.socket.flush();
    await room.tick(settings.flushActionTicks); // an ack waits until its step is stored
    await ann.socket.next(acknowledges(seq));
  });
});
