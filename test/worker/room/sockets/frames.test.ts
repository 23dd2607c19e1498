// Compressed frames: a socket that asks gets the room's long messages compressed once per audience, its own ack beside them.
import { exports } from "cloudflare:workers";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { frameText, MAX_SUFFIX } from "../../../../src/protocol/frames.ts";
import type { ServerMessage } from "../../../../src/protocol/messages.ts";
import { framesOf } from "../../../../src/worker/room/outbound/frames.ts";
import { settings } from "../../../../src/worker/settings.ts";
import { TestRoom } from "../../../kit/room.ts";
import { isType } from "../../../kit/socket.ts";

/** A raw socket's messages as they came: whether each was a binary frame, and its text (a frame's inflated, in order). */
async function rawSocket(url: string): Promise<{ ws: WebSocket; got: { binary: boolean; text: string }[]; read: () => Promise<void> }> {
  const response = await exports.default.fetch(url, { headers: { Upgrade: "websocket", "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits" } });
  const ws = response.webSocket;
  if (!ws) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
  const got: { binary: boolean; text: string }[] = [];
  let reading = Promise.resolve();
  ws.addEventListener("message", (event) => {
    const data = event.data as string | ArrayBuffer;
    reading = reading.then(async () => void got.push({ binary: typeof data !== "string", text: typeof data === "string" ? data : await frameText(data) }));
  });
  ws.binaryType = "arraybuffer";
  ws.accept();
  return { ws, got, read: () => reading };
}

const withoutAck = (text: string): unknown => {
  const { ack: _ack, applied: _applied, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return rest;
};

describe("compressed frames", () => {
  it("carry the same messages a plain socket of the audience gets, each long one compressed, the socket's own ack in the suffix", async () => {
    const room = await TestRoom.create("arena", { preset: "bench" });
    const ann = await room.join("ann");
    const bob = await room.join("bob");
    const carl = await room.ticket("carl");
    expect(carl.team).toBe(ann.team);
    const framed = await rawSocket(`${carl.url}&frames=deflate`);
    await room.tick();
    framed.ws.send(JSON.stringify({ type: "action", seq: 1, action: "input", payload: { dx: 1, dy: 0 } }));
    bob.socket.act("input", { dx: 0, dy: 1 });
    for (let i = 0; i < 6; i++) await room.tick();
    await ann.socket.flush();
    await framed.read();

    const long = framed.got.filter((m) => m.text.length >= settings.compressFromChars);
    expect(long.length).toBeGreaterThan(5);
    expect(long.every((m) => m.binary)).toBe(true);
    expect(framed.got.filter((m) => m.text.length < settings.compressFromChars).every((m) => !m.binary)).toBe(true);
    const messages = framed.got.map((m) => JSON.parse(m.text) as ServerMessage);
    expect(messages[0]?.type).toBe("welcome");
    // Every update carl got is the one ann (same team, same audience) got for the same versions, but for the ack.
    const annUpdates = new Map(ann.socket.messages.filter(isType("patch")).map((m) => [m.to, m]));
    const patches = framed.got.filter((m) => m.text.startsWith('{"type":"patch"'));
    expect(patches.length).toBeGreaterThan(5);
    for (const patch of patches) {
      const { to } = JSON.parse(patch.text) as { to: number };
      expect(withoutAck(patch.text)).toEqual(withoutAck(JSON.stringify(annUpdates.get(to))));
    }
    // Carl's own input is acknowledged in carl's frames, not in ann's updates.
    expect(messages.filter(isType("patch")).at(-1)?.ack).toBe(1);
    expect(ann.socket.messages.filter(isType("patch")).at(-1)?.ack).toBe(0);
    framed.ws.close(1000);
  });

  it("are asked for with frames=deflate and nothing else: another value is a typed 400", async () => {
    const room = await TestRoom.create("arena");
    const { url } = await room.ticket("ann");
    const response = await exports.default.fetch(`${url}&frames=gzip`, { headers: { Upgrade: "websocket" } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: "error", code: "invalid_request", detail: 'frames must be "deflate"' });
  });

  it("are cut from one buffer with each suffix in its own frame, and read back exactly", async () => {
    const text = JSON.stringify({ type: "patch", from: 1, to: 2, ops: [{ op: "replace", path: "/game/at", value: [[1.5, 2], [3, 4.25]] }] });
    const frames = framesOf(deflateRawSync(text), ["", ',"ack":7', ',"ack":12,"applied":13']);
    expect(new Set(frames.map((frame) => frame.buffer)).size).toBe(1);
    expect(await Promise.all(frames.map((frame) => frameText(frame)))).toEqual([text, `${text.slice(0, -1)},"ack":7}`, `${text.slice(0, -1)},"ack":12,"applied":13}`]);
    expect(() => framesOf(deflateRawSync(text), ["x".repeat(MAX_SUFFIX + 1)])).toThrow(RangeError);
    // With a synchronous inflate (Node's zlib, as bots use) the text comes back at once, the same text.
    expect(frameText(frames[1] as Uint8Array, (body) => inflateRawSync(body).toString())).toBe(`${text.slice(0, -1)},"ack":7}`);
    expect(() => frameText(new Uint8Array([9, 1, 2]))).toThrow("shorter than its suffix");
    await expect(frameText(new Uint8Array([0, 0xff, 0xff, 0xff]))).rejects.toThrow();
  });
});
