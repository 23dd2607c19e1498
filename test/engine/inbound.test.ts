// The size gate stands before any parse: an oversize frame is refused without JSON work.
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseInbound } from "../../src/engine/inbound.ts";
import { arena } from "../../src/games/arena.ts";
import { settings } from "../../src/worker/settings.ts";
import { TestRoom } from "../kit/room.ts";
import { isType } from "../kit/socket.ts";

const oversize = (n: number) => JSON.stringify({ type: "action", seq: 1, action: "input", payload: { dx: 0, dy: 0, pad: "é".repeat(n) } });

describe("the size gate", () => {
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
