// The Worker's HTTP routes: validation before any Durable Object is touched, tickets, the upgrade gate.
import { exports } from "cloudflare:workers";
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signTicket } from "../../../src/worker/edge/ticket.ts";
import { TestRoom } from "../../kit/room.ts";

const BASE = "http://room.test";
const get = (path: string, init?: RequestInit) => exports.default.fetch(`${BASE}${path}`, init);
const post = (path: string, body: unknown) =>
  get(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const upgrade = (path: string) => get(path, { headers: { Upgrade: "websocket" } });
const roomIds = async () => (await listDurableObjectIds(env.ROOMS)).length;

describe("the Worker", () => {
  it("answers health checks", async () => {
    expect(await (await get("/api/health")).json()).toEqual({ ok: true });
  });

  it("creates a room of a registered game and describes it", async () => {
    const created = await post("/api/rooms", { game: "arena" });
    expect(created.status).toBe(201);
    const { roomId } = (await created.json()) as { roomId: string };
    const info = await (await get(`/api/rooms/${roomId}`)).json();
    expect(info).toMatchObject({ roomId, game: "arena", preset: "default", phase: "created", joinable: true, tick: 0, players: [] });
  });

  it.each([
    ["an unknown game", { game: "chess" }, 400, "unknown_game"],
    ["an unknown preset", { game: "arena", preset: "turbo" }, 400, "unknown_preset"],
    ["an extra field", { game: "arena", owner: "me" }, 400, "invalid_request"],
    ["a missing game", {}, 400, "invalid_request"],
  ])("refuses to create a room for %s", async (_name, body, status, code) => {
    const response = await post("/api/rooms", body);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ type: "error", code });
  });

  it("refuses invalid room ids without creating any Durable Object", async () => {
    const before = await roomIds();
    for (const id of ["short", "UPPERCASE123", "has-dash-123", "../../etc/pw", "a".repeat(13), "l0l0l0l0l0l0"]) {
      const response = await get(`/api/rooms/${encodeURIComponent(id)}`);
      expect([400, 404]).toContain(response.status);
      expect(await post(`/api/rooms/${encodeURIComponent(id)}/join`, { name: "x" }).then((r) => r.status)).not.toBe(200);
    }
    expect(await roomIds()).toBe(before);
  });

  it("says a room that was never created is not found", async () => {
    const response = await post("/api/rooms/abcdefghijkm/join", { name: "ann" });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: "room_not_found" });
  });

  it("requires an Upgrade header on the socket route", async () => {
    const room = await TestRoom.create("arena");
    const response = await get(`/rooms/${room.id}/ws?ticket=x`);
    expect(response.status).toBe(426);
    expect(await response.json()).toMatchObject({ code: "upgrade_required" });
  });

  it("refuses forged, foreign and expired tickets before accepting a socket", async () => {
    const room = await TestRoom.create("arena");
    const other = await TestRoom.create("arena");
    const { url } = await room.ticket("ann");
    const ticket = new URL(url).searchParams.get("ticket") ?? "";
    const [body, sig] = ticket.split(".") as [string, string];
    const claims = JSON.parse(atob(body.replaceAll("-", "+").replaceAll("_", "/")));
    const reencode = (c: unknown) => btoa(JSON.stringify(c)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    const forged = [
      "",
      "not-a-ticket",
      `${body}.`,
      `${body}.${sig}x`,
      `${reencode({ ...claims, team: "blue" })}.${sig}`,
      `${body}.${sig}.extra`,
      await signTicket(claims, "wrong-secret"),
    ];
    for (const t of forged) {
      const response = await upgrade(`/rooms/${room.id}/ws?ticket=${encodeURIComponent(t)}`);
      expect(response.webSocket).toBeNull();
      expect(await response.json()).toMatchObject({ code: "bad_ticket" });
    }
    const foreign = await upgrade(`/rooms/${other.id}/ws?ticket=${encodeURIComponent(ticket)}`);
    expect(await foreign.json()).toMatchObject({ code: "bad_ticket" });
    const expired = await signTicket({ ...claims, exp: Date.now() - 1 }, "dev-only-insecure-ticket-secret");
    const late = await upgrade(`/rooms/${room.id}/ws?ticket=${encodeURIComponent(expired)}`);
    expect(late.status).toBe(401);
    expect(await late.json()).toMatchObject({ code: "ticket_expired" });
    expect((await room.record()).players).toEqual({});
  });

  it("turns a name into a seat ticket and the ticket into a seated player", async () => {
    const room = await TestRoom.create("arena");
    const ann = await room.join("ann");
    const info = async () => (await (await get(`/api/rooms/${room.id}`)).json()) as { players: unknown[]; phase: string; seated: number };
    expect(await info()).toMatchObject({ phase: "waiting", seated: 1, players: [{ id: ann.playerId, name: "ann", team: "red", presence: "connected" }] });
    await room.join("bob");
    expect(await info()).toMatchObject({ phase: "playing", seated: 2 });
  });

  it("answers unknown routes with the one error shape", async () => {
    const response = await get("/api/nothing-here");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: "error", code: "not_found" });
  });
});
