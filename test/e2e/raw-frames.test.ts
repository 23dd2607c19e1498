// Frames no WebSocket library sends: invalid UTF-8 and binary reach the room and get typed errors; the socket stays open.
import { describe, expect, it } from "vitest";
import { createRoom, join, sleep } from "./kit/dev-server.ts";
import { RawSocket } from "./kit/raw-socket.ts";
import { serverSuite } from "./kit/suites.ts";

describe("raw frames on wrangler dev", () => {
  const suite = serverSuite();

  it("answers invalid UTF-8 and binary frames with typed errors and keeps the connection", async () => {
    const server = suite.server;
    const roomId = await createRoom(server.url, "arena");
    const socket = await RawSocket.open((await join(server.url, roomId, "mallory")).wsUrl);
    const until = async (count: number) => {
      for (let i = 0; i < 200 && socket.texts.length < count; i++) await sleep(25);
    };
    await until(3); // welcome, snapshot and chat history
    const errors = () => socket.texts.map((text) => JSON.parse(text) as { type: string; code?: string }).filter((m) => m.type === "error");
    // workerd does not fail a connection on invalid UTF-8: the frame reaches the room, which refuses it.
    socket.send(1, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    socket.send(1, Buffer.from([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]));
    socket.send(2, Buffer.from('{"type":"resync"}'));
    await until(6);
    expect(errors().map((e) => e.code)).toEqual(["bad_json", "bad_message", "binary_unsupported"]);
    socket.send(1, Buffer.from('{"type":"resync"}'));
    await until(7);
    expect(JSON.parse(socket.texts.at(-1) ?? "{}")).toMatchObject({ type: "snapshot" });
    expect(server.current.log()).not.toContain("Uncaught");
    socket.close();
  });
});
