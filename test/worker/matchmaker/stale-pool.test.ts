// Quick play survives a pool entry that is out of date (a report lost on its way from the room).
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RoomSummary } from "../../../src/protocol/api.ts";
import { randomId } from "../../../src/worker/http.ts";

const post = (path: string, body: unknown) =>
  exports.default.fetch(`http://room.test${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Reports are fire-and-forget RPCs (reportRoom logs a failure and moves on): this is the pool after one was lost. */
const stale = (roomId: string, preset: string): RoomSummary => ({
  roomId, game: "battleship", preset, listed: true, seated: 1, reserved: 0, capacity: 4, phase: "waiting", joinable: true, version: 1_000_000,
});

describe("quick play with a stale pool entry", () => {
  it("finds a seat elsewhere when the listed room was disposed of and its report never arrived", async () => {
    const gone = randomId(12);
    await env.MATCHMAKER.getByName("battleship:local:0").update(stale(gone, "patient"));
    const response = await post("/api/matchmake", { game: "battleship", preset: "patient", name: "cleo" });
    const body = (await response.json()) as { roomId?: string; code?: string };
    expect(body.code).toBeUndefined();
    expect(body.roomId).not.toBe(gone);
  });

  it("finds a seat elsewhere when the listed room started firing and its report never arrived", async () => {
    const first = (await (await post("/api/matchmake", { game: "battleship", preset: "blitz", name: "rosa" })).json()) as { roomId: string; ticket: string };
    const second = (await (await post("/api/matchmake", { game: "battleship", preset: "blitz", name: "bert" })).json()) as { roomId: string; ticket: string };
    expect(second.roomId).toBe(first.roomId);
    const { TestSocket } = await import("../../kit/socket.ts");
    const sockets = await Promise.all([first, second].map((seat) => TestSocket.open(`http://room.test/rooms/${seat.roomId}/ws?ticket=${encodeURIComponent(seat.ticket)}`)));
    for (const socket of sockets) {
      socket.act("shuffle", {});
      socket.act("ready", {});
      await socket.flush();
    }
    const info = (await env.ROOMS.getByName(first.roomId).info()) as RoomSummary;
    expect(info.joinable).toBe(false);
    // Wait for the room's own report, then replace it with the earlier one, as if the later had been lost.
    for (let i = 0; i < 50; i++) {
      const page = await env.MATCHMAKER.getByName("battleship:local:0").all(undefined, 100);
      if (page.rooms.find((room) => room.roomId === first.roomId)?.joinable === false) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await env.MATCHMAKER.getByName("battleship:local:0").update({ ...info, seated: 2, reserved: 0, joinable: true, phase: "waiting" });
    const third = (await (await post("/api/matchmake", { game: "battleship", preset: "blitz", name: "cleo" })).json()) as { roomId?: string; code?: string };
    expect(third.code).toBeUndefined();
    expect(third.roomId).not.toBe(first.roomId);
  });
});
