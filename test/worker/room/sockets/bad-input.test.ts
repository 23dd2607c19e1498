// Bad frames get a typed error on that socket only; the socket stays open and the state does not change.
import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../../../../src/protocol/errors.ts";
import type { ServerMessage } from "../../../../src/protocol/messages.ts";
import { settings } from "../../../../src/worker/settings.ts";
import { TestRoom } from "../../../kit/room.ts";
import { acknowledges, isType } from "../../../kit/socket.ts";

const action = (payload: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: "action", seq: 1, action: "input", payload, ...extra });

const cases: [string, string | ArrayBuffer, ErrorCode][] = [
  ["invalid JSON", "{not json", "bad_json"],
  ["a JSON number", "42", "bad_message"],
  ["an unknown message type", JSON.stringify({ type: "teleport" }), "bad_message"],
  ["a missing seq", JSON.stringify({ type: "action", action: "input", payload: { dx: 0, dy: 0 } }), "bad_message"],
  ["a fractional seq", action({ dx: 0, dy: 0 }, { seq: 1.5 }), "bad_message"],
  ["an identity field smuggled into the message", action({ dx: 0, dy: 0 }, { playerId: "someone-else" }), "bad_message"],
  ["an unknown action", JSON.stringify({ type: "action", seq: 1, action: "teleport", payload: {} }), "unknown_action"],
  ["an inherited property name as action", JSON.stringify({ type: "action", seq: 1, action: "constructor", payload: {} }), "unknown_action"],
  ["a payload out of range", action({ dx: 2, dy: 0 }), "invalid_payload"],
  ["a payload with an extra key", action({ dx: 0, dy: 0, team: "blue" }), "invalid_payload"],
  ["a payload of the wrong type", action({ dx: "left", dy: 0 }), "invalid_payload"],
  ["a seq far ahead", action({ dx: 0, dy: 0 }, { seq: 1 + settings.seqWindow + 1 }), "seq_out_of_window"],
  ["an oversize message", action({ dx: 0, dy: 0, pad: "x".repeat(settings.maxMessageBytes) }), "message_too_large"],
  ["an oversize message in multi-byte characters", action({ dx: 0, dy: 0, pad: "é".repeat(settings.maxMessageBytes / 2 + 10) }), "message_too_large"],
  ["a binary frame", new Uint8Array([123, 125]).buffer, "binary_unsupported"],
];

describe("a room receiving bad input", () => {
  it.each(cases)("answers %s with a typed error, keeps the socket open and changes nothing", async (_name, frame, code) => {
    const room = await TestRoom.create("arena");
    const [ann, bob] = [await room.join("ann"), await room.join("bob")];
    const before = await room.record();
    const from = ann.socket.messages.length;
    const bobFrom = bob.socket.messages.length;
    ann.socket.send(frame);
    const error = await ann.socket.next(isType("error"), from);
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(0);
    await ann.socket.flush();
    await bob.socket.flush();
    expect(ann.socket.closed).toBeUndefined();
    expect(await room.record()).toEqual(before);
    expect(bob.socket.messages.slice(bobFrom).filter((m: ServerMessage) => m.type !== "snapshot")).toEqual([]);
  });

  it("refuses nothing from an honest player after a flood of bad frames", async () => {
    const room = await TestRoom.create("arena");
    const ann = await room.join("ann");
    for (const [, frame] of cases) ann.socket.send(frame);
    const seq = ann.socket.act("input", { dx: 1, dy: 1 }, 1);
    await ann.socket.flush();
    await room.tick(settings.flushActionTicks); // an ack waits until its step is stored
    await ann.socket.next(acknowledges(seq));
  });
});
