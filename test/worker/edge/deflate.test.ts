// The Worker answers a socket's permessage-deflate offer itself (src/worker/edge/deflate.ts): a small server window, every required parameter back.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deflateAnswer } from "../../../src/worker/edge/deflate.ts";
import { settings } from "../../../src/worker/settings.ts";
import { TestRoom } from "../../kit/room.ts";

describe("deflateAnswer", () => {
  it("answers what browsers and Node offer with a 10-bit server window", () => {
    // Chromium, Safari and Node 22's WebSocket offer this; Firefox offers the bare extension.
    expect(deflateAnswer("permessage-deflate; client_max_window_bits", 10)).toBe("permessage-deflate; server_max_window_bits=10; client_max_window_bits=15");
    expect(deflateAnswer("permessage-deflate", 10)).toBe("permessage-deflate; server_max_window_bits=10");
  });

  it("keeps to what the client allows and echoes what the RFC requires back", () => {
    expect(deflateAnswer("permessage-deflate; server_max_window_bits=9", 12)).toBe("permessage-deflate; server_max_window_bits=9");
    expect(deflateAnswer("permessage-deflate; server_no_context_takeover; client_max_window_bits=11", 10)).toBe(
      "permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits=11",
    );
    expect(deflateAnswer('permessage-deflate; client_no_context_takeover; server_max_window_bits="12"', 10)).toBe("permessage-deflate; client_no_context_takeover; server_max_window_bits=10");
  });

  it("takes the first offer it can accept and declines the rest", () => {
    expect(deflateAnswer("x-webkit-deflate-frame, permessage-deflate; foo, permessage-deflate; client_max_window_bits=12", 10)).toBe(
      "permessage-deflate; server_max_window_bits=10; client_max_window_bits=12",
    );
    // zlib cannot keep a window of 8 bits, so an offer that allows only that is left to the runtime.
    expect(deflateAnswer("permessage-deflate; server_max_window_bits=8", 10)).toBeNull();
  });

  it("answers nothing without an acceptable offer, or when switched off", () => {
    for (const offer of [null, "", "x-webkit-deflate-frame", "permessage-deflate; server_max_window_bits=16", "permessage-deflate; client_max_window_bits=7", "permessage-deflate; server_no_context_takeover=1", "permessage-deflate; server_no_context_takeover; server_no_context_takeover"]) {
      expect(deflateAnswer(offer, 10), String(offer)).toBeNull();
    }
    expect(deflateAnswer("permessage-deflate; client_max_window_bits", null)).toBeNull();
  });
});

describe("a room socket's upgrade", () => {
  it("carries the answer to the client's offer, and none when it offered none", async () => {
    const room = await TestRoom.create("arena");
    const offered = await exports.default.fetch((await room.ticket("ann")).url, { headers: { Upgrade: "websocket", "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits" } });
    expect(offered.status).toBe(101);
    expect(offered.headers.get("Sec-WebSocket-Extensions")).toBe(`permessage-deflate; server_max_window_bits=${settings.deflateWindowBits}; client_max_window_bits=15`);
    offered.webSocket?.accept();
    offered.webSocket?.close(1000);
    const plain = await exports.default.fetch((await room.ticket("bob")).url, { headers: { Upgrade: "websocket" } });
    expect(plain.status).toBe(101);
    expect(plain.headers.get("Sec-WebSocket-Extensions")).toBeNull();
    plain.webSocket?.accept();
    plain.webSocket?.close(1000);
  });
});
