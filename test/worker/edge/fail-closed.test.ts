// A deployment without its secret refuses every ticket route and upgrade with a typed error; the dev-only key never opens a socket.
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEV_SECRET } from "../../../src/worker/edge/deployment.ts";
import { signTicket } from "../../../src/worker/edge/ticket.ts";
import { randomId } from "../../../src/worker/http.ts";
import { client, deployment, GOOD_SECRET } from "../../kit/edge.ts";
import { TestRoom } from "../../kit/room.ts";

const claimsFor = (roomId: string) => ({
  v: 1 as const, room: roomId, pid: randomId(10), team: "red", name: "mallory", role: "player" as const, exp: Date.now() + 15_000, jti: randomId(16),
});

describe("a server without TICKET_SECRET and without DEV_MODE", () => {
  it("refuses matchmake, create, join, code join, spectate, listing and every upgrade with 503 server_misconfigured, addressing no object", async () => {
    const room = await TestRoom.create("arena");
    const before = (await listDurableObjectIds(env.ROOMS)).length;
    const mm = (await listDurableObjectIds(env.MATCHMAKER)).length;
    const bare = client("203.0.113.1", deployment());
    const devTicket = await signTicket(claimsFor(room.id), DEV_SECRET);
    const answers = [
      await bare.post("/api/matchmake", { game: "arena", name: "ann" }),
      await bare.post("/api/rooms", { game: "arena" }),
      await bare.post("/api/rooms", { game: "arena", private: true }),
      await bare.post(`/api/rooms/${room.id}/join`, { name: "ann" }),
      await bare.post(`/api/rooms/${room.id}/spectate`, { name: "ann" }),
      await bare.post("/api/private/ABCDEF/join", { name: "ann" }),
      await bare.fetch("/api/rooms?game=arena"),
      await bare.fetch(`/api/rooms/${room.id}`),
      await bare.upgrade(`/rooms/${room.id}/ws?ticket=${encodeURIComponent(devTicket)}`),
      await bare.upgrade(`/rooms/${room.id}/ws?reconnect=${"a".repeat(24)}`),
      await bare.upgrade(`/rooms/${room.id}/inspect`),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.webSocket).toBeNull();
      expect(await answer.json()).toMatchObject({ type: "error", code: "server_misconfigured", detail: expect.stringContaining("TICKET_SECRET") });
    }
    expect((await listDurableObjectIds(env.ROOMS)).length).toBe(before);
    expect((await listDurableObjectIds(env.MATCHMAKER)).length).toBe(mm);
    // The health check still answers, so a load balancer sees the Worker is up.
    expect((await bare.fetch("/api/health")).status).toBe(200);
  });

  it.each([
    ["shorter than 32 characters", "x".repeat(31)],
    ["the public dev-only key", DEV_SECRET],
    ["empty", ""],
  ])("refuses a TICKET_SECRET that is %s", async (_name, secret) => {
    const response = await client("203.0.113.1", deployment({ TICKET_SECRET: secret })).post("/api/matchmake", { game: "arena", name: "ann" });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: "server_misconfigured" });
  });
});

describe("a deployment with its secret", () => {
  it("never opens a socket for a ticket signed with the old dev-only constant, and admits its own", async () => {
    const room = await TestRoom.create("arena");
    const deployed = client("203.0.113.2", deployment({ TICKET_SECRET: GOOD_SECRET }));
    const forged = await signTicket(claimsFor(room.id), DEV_SECRET);
    const refused = await deployed.upgrade(`/rooms/${room.id}/ws?ticket=${encodeURIComponent(forged)}`);
    expect(refused.status).toBe(401);
    expect(refused.webSocket).toBeNull();
    expect(await refused.json()).toMatchObject({ code: "bad_ticket", detail: "signature" });
    expect((await room.record()).players).toEqual({});

    const seat = (await (await deployed.post(`/api/rooms/${room.id}/join`, { name: "ann" })).json()) as { ticket: string };
    const admitted = await deployed.upgrade(`/rooms/${room.id}/ws?ticket=${encodeURIComponent(seat.ticket)}`);
    expect(admitted.status).toBe(101);
    admitted.webSocket?.accept();
    admitted.webSocket?.close(1000, "done");
    // And the dev server (DEV_MODE on) does not take the deployment's ticket: each key signs only its own.
    expect((await client(undefined).upgrade(`/rooms/${room.id}/ws?ticket=${encodeURIComponent(seat.ticket)}`)).status).toBe(401);
  });

  it("allows the dev origins only in dev mode", async () => {
    const body = { game: "arena", name: "ann" };
    for (const origin of ["http://127.0.0.1:8787", "http://localhost:8787"]) {
      const deployed = await client("203.0.113.3", deployment({ TICKET_SECRET: GOOD_SECRET })).post("/api/matchmake", body, { Origin: origin });
      expect(deployed.status).toBe(403);
      expect(await deployed.json()).toMatchObject({ code: "origin_not_allowed" });
      expect((await client(undefined).post("/api/matchmake", body, { Origin: origin })).status).toBe(200);
    }
    const listed = await client("203.0.113.3", deployment({ TICKET_SECRET: GOOD_SECRET, ALLOWED_ORIGINS: "https://game.example" }));
    expect((await listed.post("/api/matchmake", body, { Origin: "https://game.example" })).status).toBe(200);
  });
});
