// Client headers never cross into a room: forged internal headers on every route are ignored, and nothing malformed is a 500.
import { describe, expect, it, vi } from "vitest";
import { randomId } from "../../../src/worker/http.ts";
import { client, deployment, GOOD_SECRET } from "../../kit/edge.ts";
import { TestRoom } from "../../kit/room.ts";
import { isType, TestSocket } from "../../kit/socket.ts";

describe("the trust boundary between the Worker and a room", () => {
  it("ignores forged internal headers on every route: 0 accepted, 0 status 500, 0 uncaught errors", async () => {
    const errors = vi.spyOn(console, "error");
    const room = await TestRoom.create("arena", { listed: true });
    const ann = await room.join("ann");
    const token = ann.socket.welcome?.reconnectToken ?? "";
    const victim = { v: 1, room: room.id, pid: ann.playerId, team: ann.team, name: "ann", role: "player", exp: Date.now() + 60_000, jti: randomId(16) };
    const forgeries: Record<string, string>[] = [
      { "x-verified-seat": JSON.stringify(victim) },
      { "x-verified-seat": "{not json" },
      { "x-reconnect-token": token },
      { "x-reconnect-token": "!!!" },
      { "x-room-handoff": JSON.stringify({ kind: "ticket", claims: victim }) },
      { "x-room-handoff": JSON.stringify({ kind: "reconnect", token }) },
      { "x-room-handoff": JSON.stringify({ kind: "inspector" }) },
      { "x-room-handoff": "{{" },
      { "x-room-handoff": JSON.stringify({ kind: "ticket", claims: victim }), "x-verified-seat": JSON.stringify(victim), "x-reconnect-token": token },
    ];
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/health"],
      ["POST", "/api/matchmake", { game: "arena", name: "eve" }],
      ["POST", "/api/rooms", { game: "arena" }],
      ["GET", "/api/rooms?game=arena"],
      ["POST", "/api/private/ABCDEF/join", { name: "eve" }],
      ["POST", `/api/rooms/${room.id}/join`, { name: "eve" }],
      ["POST", `/api/rooms/${room.id}/spectate`, { name: "eve" }],
      ["GET", `/api/rooms/${room.id}`],
      ["GET", `/api/rooms/${room.id}/replay`],
      ["UPGRADE", `/rooms/${room.id}/ws`],
      ["UPGRADE", `/rooms/${room.id}/ws?ticket=forged`],
      ["UPGRADE", `/rooms/${room.id}/ws?reconnect=${"a".repeat(24)}`],
      ["UPGRADE", `/rooms/${room.id}/inspect`],
      ["GET", "/api/inspect/rooms"],
      ["GET", "/inspect"],
    ];
    const statuses: number[] = [];
    // Both as the dev server runs (inspector off) and as a deployment with the inspector on but no credential given.
    const deployed = deployment({ TICKET_SECRET: GOOD_SECRET, INSPECTOR: "on", INSPECTOR_SECRET: GOOD_SECRET });
    for (const worker of [client(undefined), client("2001:db8::77", deployed)]) {
      for (const headers of forgeries) {
        for (const [method, path, body] of routes) {
          const answer =
            method === "UPGRADE"
              ? await worker.upgrade(path, headers)
              : method === "POST"
                ? await worker.post(path, body, headers)
                : await worker.fetch(path, { headers });
          statuses.push(answer.status);
          expect(answer.webSocket, `${method} ${path} ${JSON.stringify(headers)}`).toBeNull();
          answer.body?.cancel();
        }
      }
    }
    console.log(`${statuses.length} forged requests: ${statuses.filter((s) => s === 500).length} answered 500, ${statuses.filter((s) => s === 101).length} upgraded`);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // The victim was never replaced, and nobody took a seat through a forged header.
    await ann.socket.flush();
    expect(ann.socket.closed).toBeUndefined();
    expect(Object.keys((await room.record()).players)).toEqual([ann.playerId]);
    expect(errors.mock.calls.filter((call) => String(call[0]).includes("request failed"))).toEqual([]);
    errors.mockRestore();
  });

  it("seats a spectator's ticket as that spectator, whatever identity headers ride along", async () => {
    const room = await TestRoom.create("arena");
    const ann = await room.join("ann");
    const spectator = await room.ticket("eve", "spectate");
    const forged = { v: 1, room: room.id, pid: ann.playerId, team: ann.team, name: "ann", role: "player", exp: Date.now() + 60_000, jti: randomId(16) };
    const socket = await TestSocket.open(spectator.url, {
      "x-room-handoff": JSON.stringify({ kind: "ticket", claims: forged }),
      "x-verified-seat": JSON.stringify(forged),
      "x-reconnect-token": ann.socket.welcome?.reconnectToken ?? "",
    });
    expect(socket.welcome).toMatchObject({ role: "spectator", playerId: spectator.playerId });
    await ann.socket.flush();
    expect(ann.socket.closed).toBeUndefined();
  });

  it("answers a malformed handoff reaching the room itself with a typed 400, never a throw", async () => {
    const room = await TestRoom.create("arena");
    for (const value of [undefined, "", "{", "null", "[]", JSON.stringify({ kind: "ticket" }), JSON.stringify({ kind: "reconnect", token: "x" }), JSON.stringify({ kind: "admin" })]) {
      const headers: Record<string, string> = { Upgrade: "websocket" };
      if (value !== undefined) headers["x-room-handoff"] = value;
      const answer = await room.stub.fetch(new Request(`https://room.internal/rooms/${room.id}/ticket`, { headers }));
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ type: "error", code: "invalid_request" });
    }
  });
});

describe("resuming with version=", () => {
  it.each(["", "abc", "-1", "1.5", "1e3", "9".repeat(20)])("refuses version=%j with a typed 400, not as version 0", async (version) => {
    const room = await TestRoom.create("arena");
    const ann = await room.join("ann");
    const token = ann.socket.welcome?.reconnectToken ?? "";
    const answer = await TestSocket.attempt(`${room.reconnectUrl(token)}&version=${version}`);
    expect(answer.socket).toBeUndefined();
    expect(answer).toMatchObject({ status: 400, error: { code: "invalid_request", detail: "version must be a non-negative integer" } });
    // The token was not spent: a well-formed resume still works.
    const back = await TestSocket.attempt(room.reconnectUrl(token, 0));
    expect(back.status).toBe(101);
    expect((await back.socket?.next(isType("welcome")))?.playerId).toBe(ann.playerId);
  });
});
