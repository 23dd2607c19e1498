// Quick play, listing, private rooms and the origin policy, through the Worker's real routes.
import { env, exports } from "cloudflare:workers";
import type { RoomSummary } from "../../../src/protocol/api.ts";
import { describe, expect, it } from "vitest";
import { TestSocket } from "../../kit/socket.ts";

const BASE = "http://room.test";
const call = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  exports.default.fetch(`${BASE}${path}`, body === undefined ? { headers } : {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

interface Seat {
  roomId: string;
  playerId: string;
  team: string;
  ticket: string;
  expiresAt: number;
}

const socketUrl = (seat: Seat) => `${BASE}/rooms/${seat.roomId}/ws?ticket=${encodeURIComponent(seat.ticket)}`;

describe("quick play", () => {
  it("fills 4-seat rooms exactly from 50 concurrent requests, with balanced teams, and every ticket connects", async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call("/api/matchmake", { game: "arena", preset: "squad", name: `p${i}` })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const seats = (await Promise.all(responses.map((r) => r.json()))) as Seat[];
    const byRoom = Map.groupBy(seats, (seat) => seat.roomId);
    const sizes = [...byRoom.values()].map((room) => room.length).sort((a, b) => b - a);
    expect(sizes).toEqual([...Array(12).fill(4), 2]);
    for (const room of byRoom.values()) {
      const red = room.filter((seat) => seat.team === "red").length;
      expect(Math.abs(red - (room.length - red))).toBeLessThanOrEqual(1);
    }
    const sockets = await Promise.all(seats.map((seat) => TestSocket.open(socketUrl(seat))));
    expect(sockets.every((socket) => socket.welcome?.role === "player")).toBe(true);
    for (const [roomId, room] of byRoom) {
      const info = (await (await call(`/api/rooms/${roomId}`)).json()) as { seated: number; capacity: number };
      expect(info).toMatchObject({ seated: room.length, capacity: 4 });
    }
  });

  it("lists open public rooms with their players, capacity and phase, and drops full ones", async () => {
    const first = (await (await call("/api/matchmake", { game: "tic-tac-toe", name: "ann" })).json()) as Seat;
    await TestSocket.open(socketUrl(first));
    const listed = (await (await call("/api/rooms?game=tic-tac-toe")).json()) as { rooms: unknown[] };
    expect(listed.rooms).toContainEqual({ roomId: first.roomId, preset: "default", players: 1, capacity: 2, phase: "waiting" });
    const second = (await (await call("/api/matchmake", { game: "tic-tac-toe", name: "bob" })).json()) as Seat;
    expect(second.roomId).toBe(first.roomId);
    await TestSocket.open(socketUrl(second));
    const after = (await (await call("/api/rooms?game=tic-tac-toe")).json()) as { rooms: { roomId: string }[] };
    expect(after.rooms.map((room) => room.roomId)).not.toContain(first.roomId);
  });

  it("drops a room from the pool when it reports that its match ended", async () => {
    const first = (await (await call("/api/matchmake", { game: "tic-tac-toe", preset: "default", name: "ann" })).json()) as Seat;
    const listed = async () => ((await (await call("/api/rooms?game=tic-tac-toe")).json()) as { rooms: { roomId: string }[] }).rooms.map((r) => r.roomId);
    expect(await listed()).toContain(first.roomId);
    const matchmaker = env.MATCHMAKER.getByName("tic-tac-toe:local:0");
    const summary = (await (await call(`/api/rooms/${first.roomId}`)).json()) as RoomSummary;
    await matchmaker.update({ ...summary, phase: "ended", version: summary.version + 1 });
    expect(await listed()).not.toContain(first.roomId);
    const next = (await (await call("/api/matchmake", { game: "tic-tac-toe", name: "bob" })).json()) as Seat;
    expect(next.roomId).not.toBe(first.roomId);
  });

  it("refuses unknown games and bad bodies with codes from the error table", async () => {
    expect(await (await call("/api/matchmake", { game: "chess", name: "ann" })).json()).toMatchObject({ code: "unknown_game" });
    expect(await (await call("/api/matchmake", { game: "arena", name: 5 })).json()).toMatchObject({ code: "invalid_request" });
    expect(await (await call("/api/rooms?game=chess")).json()).toMatchObject({ code: "unknown_game" });
  });
});

describe("a private room", () => {
  it("is unlisted and joined by its short code", async () => {
    const created = await call("/api/rooms", { game: "tic-tac-toe", private: true });
    expect(created.status).toBe(201);
    const { roomId, code } = (await created.json()) as { roomId: string; code: string };
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    const listed = (await (await call("/api/rooms?game=tic-tac-toe")).json()) as { rooms: { roomId: string }[] };
    expect(listed.rooms.map((room) => room.roomId)).not.toContain(roomId);
    const seat = (await (await call(`/api/private/${code.toLowerCase()}/join`, { name: "ann" })).json()) as Seat;
    expect(seat.roomId).toBe(roomId);
    const socket = await TestSocket.open(socketUrl(seat));
    expect(socket.welcome?.roomId).toBe(roomId);
    expect(await (await call("/api/private/AAAAA1/join", { name: "x" })).json()).toMatchObject({ code: "invalid_code" });
  });
});

describe("the origin policy", () => {
  it("refuses browser calls from foreign origins and accepts the dev origin, the Worker's own, and none", async () => {
    const body = { game: "arena", name: "ann" };
    const foreign = await call("/api/matchmake", body, { Origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: "origin_not_allowed" });
    for (const origin of ["http://127.0.0.1:8787", "http://localhost:8787", BASE]) {
      expect((await call("/api/matchmake", body, { Origin: origin })).status).toBe(200);
    }
    const seat = (await (await call("/api/matchmake", body)).json()) as Seat;
    const refused = await TestSocket.attempt(socketUrl(seat), { Origin: "https://evil.example" });
    expect(refused).toMatchObject({ status: 403, error: { code: "origin_not_allowed" } });
    expect((await TestSocket.attempt(socketUrl(seat))).socket).toBeDefined();
  });
});
