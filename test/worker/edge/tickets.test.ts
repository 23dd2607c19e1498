// Seat tickets: the room enforces capacity under concurrency, refuses every forgery, admits each ticket once.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { randomId } from "../../../src/worker/http.ts";
import { signTicket, type TicketClaims } from "../../../src/worker/edge/ticket.ts";
import { TestRoom } from "../../kit/room.ts";
import { TestSocket } from "../../kit/socket.ts";

const SECRET = "dev-only-insecure-ticket-secret";
const BASE = "http://room.test";

const claimsFor = (room: TestRoom, overrides: Partial<TicketClaims> = {}): TicketClaims => ({
  v: 1,
  room: room.id,
  pid: randomId(10),
  team: "red",
  name: "mallory",
  role: "player",
  exp: Date.now() + 15_000,
  jti: randomId(16),
  ...overrides,
});

const urlFor = (room: TestRoom, ticket: string) => `${BASE}/rooms/${room.id}/ws?ticket=${encodeURIComponent(ticket)}`;
const b64 = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const openSockets = (room: TestRoom) => runInDurableObject(room.stub, (_instance, state) => state.getWebSockets().length);

describe("seat tickets", () => {
  it("admit exactly the remaining seats when 9 valid tickets race for 3", async () => {
    const room = await TestRoom.create("arena", { preset: "squad" });
    await room.join("ann");
    const tickets = await Promise.all(
      Array.from({ length: 9 }, (_, i) => signTicket(claimsFor(room, { team: i % 2 ? "red" : "blue" }), SECRET)),
    );
    const attempts = await Promise.all(tickets.map((ticket) => TestSocket.attempt(urlFor(room, ticket))));
    expect(attempts.filter((a) => a.socket).length).toBe(3);
    const refused = attempts.filter((a) => !a.socket);
    expect(refused.map((a) => [a.status, a.error?.code])).toEqual(Array(6).fill([409, "room_full"]));
    expect(Object.keys((await room.record()).players).length).toBe(4);
  });

  it("refuse a battery of 100+ forged, altered, foreign, expired and truncated tickets without opening a socket", async () => {
    const room = await TestRoom.create("arena");
    const other = await TestRoom.create("arena");
    const claims = claimsFor(room);
    const valid = await signTicket(claims, SECRET);
    const [body, sig] = valid.split(".") as [string, string];
    const forged: string[] = [];
    // Every single-character change of the signature.
    for (let i = 0; i < sig.length; i++) forged.push(`${body}.${sig.slice(0, i)}${sig[i] === "A" ? "B" : "A"}${sig.slice(i + 1)}`);
    // Every claim edited, keeping the original signature.
    const edits: Partial<Record<keyof TicketClaims, unknown>>[] = [
      { room: other.id }, { pid: "someone-else" }, { team: "blue" }, { name: "admin" }, { role: "spectator" },
      { exp: claims.exp + 3_600_000 }, { jti: "x" }, { v: 2 }, { extra: true } as never,
    ];
    for (const edit of edits) forged.push(`${b64(JSON.stringify({ ...claims, ...edit }))}.${sig}`);
    // Algorithm tricks: a JWT-style header, an unsigned ticket, "none", an empty signature.
    forged.push(`${b64('{"alg":"none","typ":"JWT"}')}.${body}.`, `${b64('{"alg":"HS256"}')}.${body}.${sig}`, `${body}.none`, `${body}.`, `${body}`, `.${sig}`);
    // Truncations and padding.
    for (let cut = 1; cut < valid.length; cut += Math.ceil(valid.length / 40)) forged.push(valid.slice(0, cut));
    forged.push(`${valid}=`, `${valid} `, `${valid}.`, valid.replace(".", ".."), "", "x".repeat(5000));
    // Signed with the wrong key, for another room, or already expired.
    forged.push(await signTicket(claims, "not-the-secret"), await signTicket({ ...claims, room: other.id }, SECRET));
    forged.push(await signTicket({ ...claims, exp: Date.now() - 1 }, SECRET));
    expect(forged.length).toBeGreaterThanOrEqual(100);

    const attempts = await Promise.all(forged.map((ticket) => TestSocket.attempt(urlFor(room, ticket))));
    expect(attempts.filter((a) => a.socket).length).toBe(0);
    for (const attempt of attempts) expect([400, 401]).toContain(attempt.status);
    expect(new Set(attempts.map((a) => a.error?.code))).toEqual(new Set(["bad_ticket", "ticket_expired"]));
    expect(await openSockets(room)).toBe(0);
    expect((await room.record()).players).toEqual({});
    // The genuine ticket still works afterwards.
    expect((await TestSocket.attempt(urlFor(room, valid))).socket).toBeDefined();
  });

  it("admit a valid ticket once, whether reused in sequence, 20 times at once, or after the room restarted", async () => {
    const room = await TestRoom.create("arena");
    const first = await signTicket(claimsFor(room), SECRET);
    expect((await TestSocket.attempt(urlFor(room, first))).socket).toBeDefined();
    expect(await TestSocket.attempt(urlFor(room, first))).toMatchObject({ status: 401, error: { code: "ticket_used" } });

    const burst = await signTicket(claimsFor(room), SECRET);
    const attempts = await Promise.all(Array.from({ length: 20 }, () => TestSocket.attempt(urlFor(room, burst))));
    expect(attempts.filter((a) => a.socket).length).toBe(1);
    expect(attempts.filter((a) => a.error?.code === "ticket_used").length).toBe(19);

    await room.evict();
    for (const ticket of [first, burst]) {
      expect(await TestSocket.attempt(urlFor(room, ticket))).toMatchObject({ status: 401, error: { code: "ticket_used" } });
    }
    expect(Object.keys((await room.record()).players).length).toBe(2);
  });
});
