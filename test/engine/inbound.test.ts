// The size gate stands before any parse: an oversize frame is refused without JSON work.
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseInbound, plainAction, utf8Bytes } from "../../src/engine/inbound.ts";
import { actionMessage } from "../../src/protocol/messages.ts";
import { arena } from "../../src/games/arena.ts";
import { settings } from "../../src/worker/settings.ts";
import { TestRoom } from "../kit/room.ts";
import { isType } from "../kit/socket.ts";

const oversize = (n: number) => JSON.stringify({ type: "action", seq: 1, action: "input", payload: { dx: 0, dy: 0, pad: "é".repeat(n) } });

describe("the size gate", () => {
  it("measures text in UTF-8 bytes as an encoder does, ASCII or not", () => {
    const encoded = (text: string) => new TextEncoder().encode(text).byteLength;
    const samples = ["", '{"type":"patch","ops":[]}', "\u007f", "\u0080", "é", "€", "😀", "\ud800", "a\udc00b", "日本語 text", "x".repeat(500) + "ü"];
    for (const text of samples) expect(utf8Bytes(text), JSON.stringify(text)).toBe(encoded(text));
  });

  it("names where a prototype key is, however deep, and refuses it before any schema", () => {
    const frame = '{"type":"action","seq":3,"action":"input","payload":{"dx":0,"dy":0,"extra":{"a":[1,{"b":{"constructor":1}}]}}}';
    const inbound = parseInbound(arena, frame, settings.maxMessageBytes);
    expect(inbound).toEqual({ ok: false, error: expect.objectContaining({ code: "invalid_payload", seq: 3, detail: "payload.extra.a.1.b.constructor: forbidden key" }) });
    expect(parseInbound(arena, '{"__proto__":{},"type":"resync"}', settings.maxMessageBytes)).toMatchObject({ ok: false, error: { detail: "__proto__: forbidden key" } });
  });

  it("finds a prototype key spelled with JSON escapes, which the text does not show", () => {
    for (const key of ["\\u005f_proto__", "constructo\\u0072", "\\u0070rototype"]) {
      const frame = `{"type":"action","seq":4,"action":"input","payload":{"dx":0,"dy":0,"${key}":1}}`;
      expect(parseInbound(arena, frame, settings.maxMessageBytes), frame).toMatchObject({ ok: false, error: { code: "invalid_payload", seq: 4, detail: expect.stringMatching(/^payload\.(__proto__|constructor|prototype): forbidden key$/) } });
    }
  });

  afterEach(() => vi.restoreAllMocks());

  it("refuses an oversize frame without parsing it", () => {
    const parse = vi.spyOn(JSON, "parse");
    for (const n of [settings.maxMessageBytes, settings.maxMessageBytes / 2 + 1, 100_000]) {
      const inbound = parseInbound(arena, oversize(n), settings.maxMessageBytes);
      expect(inbound).toMatchObject({ ok: false, error: { code: "message_too_large" } });
    }
    expect(parse).not.toHaveBeenCalled();
  });

  it("in a live room: 100 oversize frames, 0 parses of any of them", async () => {
    const room = await TestRoom.create("arena");
    const ann = await room.join("ann");
    const parse = vi.spyOn(JSON, "parse");
    const big = oversize(settings.maxMessageBytes);
    for (let i = 0; i < 100; i++) ann.socket.send(big);
    await ann.socket.flush();
    const parsedBig = parse.mock.calls.filter(([text]) => typeof text === "string" && text.length >= settings.maxMessageBytes / 2);
    expect(parsedBig).toEqual([]);
    expect(ann.socket.messages.filter(isType("error")).filter((e) => e.code === "message_too_large")).toHaveLength(100);
  });
});

describe("the action envelope's hand check", () => {
  // Every combination of edge values per field, plus missing and extra keys: the hand check must agree with zod
  // on each (accept the same frames, produce the same message), or it changed what the protocol accepts.
  const seqs = [0, 1, 2.5, -1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, "1", null, true];
  const actions = ["", "a", "a".repeat(64), "a".repeat(65), 7, null, ["input"]];
  const payloads = [{}, { dx: 1 }, [], null, "x", 3, { nested: { a: [1] } }];
  const types = ["action", "Action", "resync", 1];
  const MISSING = Symbol("missing");
  const shapes = [MISSING, "extra"] as const;

  it("accepts exactly what zod accepts, with the same result", () => {
    let accepted = 0;
    let cases = 0;
    for (const type of types) for (const seq of [...seqs, MISSING]) for (const action of [...actions, MISSING]) for (const payload of [...payloads, MISSING]) for (const shape of shapes) {
      const json: Record<string, unknown> = {};
      for (const [key, value] of [["type", type], ["seq", seq], ["action", action], ["payload", payload]] as const) if (value !== MISSING) json[key] = value;
      if (shape === "extra") json.extra = 1;
      const zod = actionMessage.safeParse(json);
      const hand = plainAction(json);
      cases += 1;
      if (hand !== undefined) accepted += 1;
      // Where zod refuses, the hand check must not accept; where zod accepts, the hand check must give its result.
      expect(hand, JSON.stringify(json)).toEqual(zod.success ? zod.data : undefined);
    }
    expect(cases).toBe(4 * 10 * 8 * 8 * 2);
    // Two seqs (1, the largest safe integer) × two actions (1 and 64 characters) × three object payloads, type "action", no extra key.
    expect(accepted).toBe(2 * 2 * 3);
  });
});
