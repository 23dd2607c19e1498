// Per-address limits on the HTTP routes (Cloudflare's Rate Limiting binding): refused with 429 before any Durable Object wakes.
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../../src/protocol/errors.ts";
import { settings } from "../../../src/worker/settings.ts";
import { network } from "../../../src/worker/edge/rate-limit.ts";
import { client, deployment, GOOD_SECRET } from "../../kit/edge.ts";
import { TestRoom } from "../../kit/room.ts";
import { TestSocket } from "../../kit/socket.ts";

/** A documentation address (2001:db8::/32) in a random /64, so each test counts from zero. */
const address = () => `2001:db8:${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}::1`;

/** The binding counts in fixed windows, so a run that crosses a window edge may see a second allowance. */
const windowsSpanned = (start: number, end: number, periodSeconds: number) =>
  Math.floor(end / (periodSeconds * 1000)) - Math.floor(start / (periodSeconds * 1000)) + 1;

/** `count` requests in batches of 50 (one client's many parallel connections), timed. */
async function burst(count: number, send: () => Promise<Response>) {
  const start = Date.now();
  const statuses: number[] = [];
  const bodies: (ErrorBody | Record<string, unknown>)[] = [];
  const retryAfter = new Set<string | null>();
  for (let i = 0; i < count; i += 50) {
    const answers = await Promise.all(Array.from({ length: Math.min(50, count - i) }, send));
    for (const answer of answers) {
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter.add(answer.headers.get("Retry-After"));
      bodies.push((await answer.json()) as ErrorBody);
    }
  }
  return { statuses, bodies, retryAfter, start, end: Date.now(), of: (status: number) => statuses.filter((s) => s === status).length };
}

describe("HTTP rate limits per client address", () => {
  it("1,000 room creations from one address: at most the limit succeed, the rest get 429 with Retry-After and wake no object", async () => {
    const { limit, periodSeconds } = settings.rateLimits.create;
    const before = (await listDurableObjectIds(env.ROOMS)).length;
    const mallory = client(address());
    const run = await burst(1000, () => mallory.post("/api/rooms", { game: "tag" }));
    const allowance = limit * windowsSpanned(run.start, run.end, periodSeconds);
    console.log(`1,000 POST /api/rooms in ${run.end - run.start} ms: ${run.of(201)} created, ${run.of(429)} refused (limit ${limit}/${periodSeconds} s)`);
    expect(run.end - run.start).toBeLessThan(10_000);
    expect(run.of(201)).toBeGreaterThanOrEqual(limit);
    expect(run.of(201)).toBeLessThanOrEqual(allowance);
    expect(run.of(429)).toBe(1000 - run.of(201));
    expect(run.retryAfter).toEqual(new Set([String(periodSeconds)]));
    expect(run.bodies.filter((b) => b["code"] === "rate_limited")).toHaveLength(run.of(429));
    // Rooms that exist now: exactly the ones created, so no refused request reached a GameRoom.
    expect((await listDurableObjectIds(env.ROOMS)).length - before).toBe(run.of(201));
    // Another address is not affected.
    expect((await client(address()).post("/api/rooms", { game: "tag" })).status).toBe(201);
  });

  it("1,000 join-code guesses from one address: at most the limit reach a room, the rest get 429", async () => {
    const { limit, periodSeconds } = settings.rateLimits.code;
    const guesser = client(address());
    const run = await burst(1000, () => {
      const code = Array.from({ length: 6 }, () => "ABCDEFGHJKMNPQRSTUVWXYZ23456789"[Math.floor(Math.random() * 31)]).join("");
      return guesser.post(`/api/private/${code}/join`, { name: "guess" });
    });
    // Only a room's own object can answer room_not_found: the count of those is the count of objects woken.
    const woken = run.bodies.filter((b) => b["code"] === "room_not_found").length;
    console.log(`1,000 code guesses in ${run.end - run.start} ms: ${woken} reached a room, ${run.of(429)} refused`);
    expect(run.end - run.start).toBeLessThan(10_000);
    expect(woken).toBeLessThanOrEqual(limit * windowsSpanned(run.start, run.end, periodSeconds));
    expect(woken + run.of(429)).toBe(1000);
  });

  it("1,200 room reads from one address: at most the read limit reach a room, the rest get 429", async () => {
    const { limit, periodSeconds } = settings.rateLimits.read;
    const reader = client(address());
    const run = await burst(1200, () => {
      const id = Array.from({ length: 12 }, () => "abcdefghjkmnpqrstuvwxyz23456789"[Math.floor(Math.random() * 31)]).join("");
      return reader.fetch(`/api/rooms/${id}`);
    });
    // Only a room's own object can answer room_not_found: the count of those is the count of objects woken.
    const woken = run.bodies.filter((b) => b["code"] === "room_not_found").length;
    console.log(`1,200 GET /api/rooms/:id in ${run.end - run.start} ms: ${woken} reached a room, ${run.of(429)} refused (limit ${limit}/${periodSeconds} s)`);
    expect(woken).toBeGreaterThanOrEqual(limit);
    expect(woken).toBeLessThanOrEqual(limit * windowsSpanned(run.start, run.end, periodSeconds));
    expect(woken + run.of(429)).toBe(1200);
    expect((await client(address()).fetch("/api/leaderboard?game=tag")).status).toBe(200);
  });

  it("lets an honest player from another address join a room one address tries to squat", async () => {
    const room = await TestRoom.create("battleship", { preset: "quick", listed: false });
    const squatter = client(address());
    const tries = await burst(100, () => squatter.post(`/api/rooms/${room.id}/join`, { name: "squat" }));
    expect(tries.of(200)).toBeLessThanOrEqual(settings.rateLimits.seat.limit);
    expect(tries.of(429)).toBe(100 - tries.of(200));
    const honest = await client(address()).post(`/api/rooms/${room.id}/join`, { name: "honest" });
    expect(honest.status).toBe(200);
    const seat = (await honest.json()) as { ticket: string };
    const socket = await TestSocket.attempt(`http://room.test/rooms/${room.id}/ws?ticket=${encodeURIComponent(seat.ticket)}`);
    expect(socket.socket).toBeDefined();
    console.log(`squatting a ${(await room.record()).preset} battleship room: ${tries.of(200)} of 100 reservations granted, the honest player seated`);
  });

  it("limits quick play and spectating per address too", async () => {
    for (const [name, path, body] of [
      ["matchmake", "/api/matchmake", { game: "tag", name: "ann" }],
      ["join", `/api/rooms/${(await TestRoom.create("tag", { preset: "default" })).id}/spectate`, { name: "eve" }],
    ] as const) {
      const one = client(address());
      const { limit } = settings.rateLimits[name];
      // Twice the limit and more: enough even when the burst straddles a window edge.
      const run = await burst(2 * limit + 10, () => one.post(path, body));
      expect(run.of(429)).toBeGreaterThanOrEqual(10);
    }
  });

  it("does not meter loopback or header-less requests in dev mode (tabs, tests, benches), and meters them outside it", async () => {
    const local = client("127.0.0.1");
    const run = await burst(settings.rateLimits.create.limit + 5, () => local.post("/api/rooms", { game: "tag" }));
    expect(run.of(201)).toBe(settings.rateLimits.create.limit + 5);
    const headerless = await burst(settings.rateLimits.create.limit + 5, () => client(undefined).post("/api/rooms", { game: "tag" }));
    expect(headerless.of(201)).toBe(settings.rateLimits.create.limit + 5);
    // A deployment counts loopback like any address, and requests without an address in one shared bucket.
    const deployed = deployment({ TICKET_SECRET: GOOD_SECRET });
    for (const who of ["127.0.0.1", undefined]) {
      const outside = await burst(2 * settings.rateLimits.create.limit + 10, () => client(who, deployed).post("/api/rooms", { game: "tag" }));
      expect(outside.of(429)).toBeGreaterThanOrEqual(10);
    }
  });
});

describe("the key a client is counted under", () => {
  it.each([
    ["203.0.113.9", "203.0.113.9"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::ffff", "2001:db8:1:2::/64"],
    ["2001:DB8:0001:0002:aaaa::", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
  ])("is %s → %s (IPv6 by its /64)", (address, key) => {
    expect(network(address)).toBe(key);
  });

  it("counts every address of one IPv6 /64 together", async () => {
    const prefix = `2001:db8:${crypto.randomUUID().slice(0, 4)}:1`;
    const { limit } = settings.rateLimits.create;
    const statuses = [];
    for (let i = 0; i < 2 * limit + 5; i++) statuses.push((await client(`${prefix}:${i.toString(16)}::1`).post("/api/rooms", { game: "tag" })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
  });
});
