// Under a real `wrangler dev` run as a deployment (DEV_MODE off): fail-closed secret, per-address limits, forged headers, page headers.
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { createHmac, randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { TempServer } from "../kit/dev-server.ts";

const SECRET = randomBytes(32).toString("hex");
const INSPECTOR_SECRET = randomBytes(32).toString("hex");
/** The public dev-only key (src/worker/edge/deployment.ts), which must never sign in a deployment. */
const DEV_SECRET = "dev-only-insecure-ticket-secret";

/** A ticket as src/worker/edge/ticket.ts spells one (the worker module needs workerd's types, so it is not imported here). */
const signTicket = (claims: object, secret: string): string => {
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
};

/** The limits as the binding has them: wrangler.toml's [[ratelimits]], by binding name. */
// The top level's only: [env.production] repeats them with namespace ids of its own (test/docs/config.test.ts).
const TOML = readFileSync(new URL("../../../wrangler.toml", import.meta.url), "utf8").split(/^\[env\./m)[0] ?? "";
const declared = [...TOML.matchAll(/name = "(\w+)"\s*\nnamespace_id = "\d+"\s*\nsimple = \{ limit = (\d+), period = (\d+) \}/g)].map(
  (m) => ({ binding: String(m[1]), limit: Number(m[2]), periodSeconds: Number(m[3]) }),
);
const limitOf = (binding: string) => {
  const found = declared.find((entry) => entry.binding === binding);
  if (!found) throw new Error(`no [[ratelimits]] ${binding} in wrangler.toml`);
  return found;
};
const MAX_PAGE = 50;

/** An HTTP call from a client address (wrangler dev keeps a CF-Connecting-IP the client sends, as Cloudflare's edge would set it). */
async function call(url: string, options: { method?: string; body?: unknown; from?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.from) headers["CF-Connecting-IP"] = options.from;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url, { method: options.method ?? (options.body === undefined ? "GET" : "POST"), headers, body: options.body === undefined ? null : JSON.stringify(options.body), signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON (a page).
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** A WebSocket handshake over node:http: the status, and the typed error when it was refused. */
function upgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Key": randomBytes(16).toString("base64"), "Sec-WebSocket-Version": "13", ...headers },
      timeout: 20_000,
    });
    req.on("upgrade", (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, json: {} });
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: body ? (JSON.parse(body) as Record<string, unknown>) : {} }));
    });
    req.on("error", reject);
    req.end();
  });
}

const windowsSpanned = (start: number, end: number, periodSeconds: number) =>
  Math.floor(end / (periodSeconds * 1000)) - Math.floor(start / (periodSeconds * 1000)) + 1;

async function burst(count: number, send: () => Promise<{ status: number; headers: Headers; json: Record<string, unknown> }>) {
  const start = Date.now();
  const answers: { status: number; headers: Headers; json: Record<string, unknown> }[] = [];
  for (let i = 0; i < count; i += 100) answers.push(...(await Promise.all(Array.from({ length: Math.min(100, count - i) }, send))));
  const of = (status: number) => answers.filter((a) => a.status === status).length;
  return { answers, of, start, end: Date.now() };
}

describe("a deployment under wrangler dev", () => {
  const servers: TempServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it("without TICKET_SECRET and DEV_MODE refuses matchmake, join and every upgrade with a typed 503", async () => {
    const server = await TempServer.start({ DEV_MODE: "off" });
    servers.push(server);
    const url = server.url;
    const roomId = "abcdefghijkm";
    const ticket = await signTicket({ v: 1, room: roomId, pid: "p", team: "red", name: "m", role: "player", exp: Date.now() + 60_000, jti: "j" }, DEV_SECRET);
    const answers = [
      await call(`${url}/api/matchmake`, { body: { game: "arena", name: "ann" } }),
      await call(`${url}/api/rooms`, { body: { game: "arena" } }),
      await call(`${url}/api/rooms/${roomId}/join`, { body: { name: "ann" } }),
      await call(`${url}/api/private/ABCDEF/join`, { body: { name: "ann" } }),
      await upgrade(`${url}/rooms/${roomId}/ws?ticket=${encodeURIComponent(ticket)}`),
      await upgrade(`${url}/rooms/${roomId}/ws?reconnect=${"a".repeat(24)}`),
    ];
    expect(answers.map((a) => [a.status, a.json["code"]])).toEqual(Array(6).fill([503, "server_misconfigured"]));
    const log = server.current.log();
    console.log(`wrangler dev without the secret: ${log.match(/Missing required secrets[^\n]*/)?.[0]}`);
    expect(log).toContain("Missing required secrets: TICKET_SECRET");
    expect(log).not.toContain("Uncaught");
    await server.close();
    servers.pop();
  });

  it("with its secret: limits per address, ignores forged headers, refuses the dev-key ticket, sends security headers", async () => {
    const server = await TempServer.start({ DEV_MODE: "off", INSPECTOR: "on", INSPECTOR_SECRET }, { secrets: { TICKET_SECRET: SECRET } });
    servers.push(server);
    const url = server.url;

    // 1,000 room creations from one address. The local server answers more slowly than Cloudflare's edge (the
    // baseline below), so the time is reported, not asserted; the workerd test sends its 1,000 within 10 s.
    const baseline = await burst(200, () => call(`${url}/api/health`, { from: "198.51.100.6" }));
    console.log(`wrangler dev baseline: 200 GET /api/health in ${baseline.end - baseline.start} ms`);
    const create = await burst(1000, () => call(`${url}/api/rooms`, { body: { game: "tag" }, from: "198.51.100.7" }));
    const { limit, periodSeconds } = limitOf("CREATE_LIMITER");
    const listed = await call(`${url}/api/rooms?game=tag&limit=${MAX_PAGE}`, { from: "198.51.100.99" });
    console.log(`wrangler dev, 1,000 POST /api/rooms from one address in ${create.end - create.start} ms: ${create.of(201)} created, ${create.of(429)} × 429; rooms listed afterwards: ${(listed.json["rooms"] as unknown[]).length}`);
    expect(create.of(201)).toBeLessThanOrEqual(limit * windowsSpanned(create.start, create.end, periodSeconds));
    expect(create.of(429)).toBe(1000 - create.of(201));
    expect(new Set(create.answers.filter((a) => a.status === 429).map((a) => a.headers.get("Retry-After")))).toEqual(new Set([String(periodSeconds)]));
    expect((listed.json["rooms"] as unknown[]).length).toBe(create.of(201));

    // 1,000 code guesses: only a room's own object answers room_not_found, so that count is the objects woken.
    const guesses = await burst(1000, () => call(`${url}/api/private/${randomBytes(3).toString("hex").toUpperCase().replace(/[^A-HJKMNP-Z2-9]/g, "A")}/join`, { body: { name: "g" }, from: "198.51.100.8" }));
    const woken = guesses.answers.filter((a) => a.json["code"] === "room_not_found").length;
    console.log(`wrangler dev, 1,000 code guesses in ${guesses.end - guesses.start} ms: ${woken} reached a room, ${guesses.of(429)} × 429`);
    expect(woken).toBeLessThanOrEqual(limitOf("CODE_LIMITER").limit * windowsSpanned(guesses.start, guesses.end, 60));
    expect(woken + guesses.of(429)).toBe(1000);

    // One address squats a room; an honest player from another address still gets a seat and a socket.
    const room = await call(`${url}/api/rooms`, { body: { game: "battleship", private: true }, from: "198.51.100.20" });
    const roomId = String(room.json["roomId"]);
    const squat = await burst(100, () => call(`${url}/api/rooms/${roomId}/join`, { body: { name: "squat" }, from: "198.51.100.9" }));
    const honest = await call(`${url}/api/rooms/${roomId}/join`, { body: { name: "honest" }, from: "198.51.100.10" });
    console.log(`wrangler dev, squatting a battleship room: ${squat.of(200)} of 100 reservations granted; the honest player: ${honest.status}`);
    expect(squat.of(200)).toBeLessThanOrEqual(limitOf("SEAT_LIMITER").limit);
    expect(honest.status).toBe(200);
    expect((await upgrade(`${url}/rooms/${roomId}/ws?ticket=${encodeURIComponent(String(honest.json["ticket"]))}`)).status).toBe(101);

    // A ticket signed with the old constant never opens a socket.
    const devTicket = await signTicket({ v: 1, room: roomId, pid: "victim", team: "red", name: "m", role: "player", exp: Date.now() + 60_000, jti: "jj" }, DEV_SECRET);
    expect(await upgrade(`${url}/rooms/${roomId}/ws?ticket=${encodeURIComponent(devTicket)}`)).toMatchObject({ status: 401, json: { code: "bad_ticket" } });

    // Forged internal headers on every route.
    const claims = { v: 1, room: roomId, pid: "victim", team: "red", name: "m", role: "player", exp: Date.now() + 60_000, jti: "x" };
    const forged: Record<string, string>[] = [
      { "x-verified-seat": JSON.stringify(claims) },
      { "x-verified-seat": "{" },
      { "x-reconnect-token": "a".repeat(24) },
      { "x-room-handoff": JSON.stringify({ kind: "ticket", claims }) },
      { "x-room-handoff": JSON.stringify({ kind: "inspector" }) },
      { "x-room-handoff": "{{" },
    ];
    const statuses: number[] = [];
    for (const headers of forged) {
      const from = `198.51.100.${30 + statuses.length}`;
      for (const [method, path, body] of [
        ["GET", "/api/health"], ["POST", "/api/matchmake", { game: "tag", name: "eve" }], ["POST", "/api/rooms", { game: "tag" }],
        ["GET", "/api/rooms?game=tag"], ["POST", "/api/private/ABCDEF/join", { name: "eve" }], ["POST", `/api/rooms/${roomId}/join`, { name: "eve" }],
        ["POST", `/api/rooms/${roomId}/spectate`, { name: "eve" }], ["GET", `/api/rooms/${roomId}`], ["GET", `/api/rooms/${roomId}/replay`],
        ["GET", "/api/inspect/rooms"], ["GET", "/inspect"],
      ] as [string, string, unknown?][]) {
        statuses.push((await call(`${url}${path}`, { method, body, from, headers })).status);
      }
      for (const path of [`/rooms/${roomId}/ws`, `/rooms/${roomId}/ws?ticket=x.y`, `/rooms/${roomId}/ws?reconnect=${"a".repeat(24)}`, `/rooms/${roomId}/inspect`]) {
        statuses.push((await upgrade(`${url}${path}`, headers)).status);
      }
    }
    const log = server.current.log();
    console.log(`wrangler dev, ${statuses.length} requests with forged internal headers: ${statuses.filter((s) => s === 101).length} upgraded, ${statuses.filter((s) => s >= 500).length} × 5xx, ${(log.match(/Uncaught/g) ?? []).length} Uncaught in the log`);
    expect(statuses.filter((s) => s === 101)).toEqual([]);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(log).not.toContain("Uncaught");

    // The demo page and the inspector page carry a CSP and the usual headers.
    const demo = await call(`${url}/`);
    expect(demo.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
    expect(demo.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(demo.headers.get("X-Frame-Options")).toBe("DENY");
    const page = await call(`${url}/inspect`, { headers: { Authorization: `Bearer ${INSPECTOR_SECRET}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect((await call(`${url}/inspect`)).status).toBe(401);
  });

  it("keeps wrangler.toml's [[ratelimits]] and settings.rateLimits in agreement", () => {
    const source = readFileSync(new URL("../../../src/worker/settings.ts", import.meta.url), "utf8");
    const documented = [...source.matchAll(/binding: "(\w+)", limit: (\d+), periodSeconds: (\d+)/g)].map(
      (m) => ({ binding: String(m[1]), limit: Number(m[2]), periodSeconds: Number(m[3]) }),
    );
    expect(declared.length).toBe(6);
    expect(documented).toEqual(declared);
  });
});
