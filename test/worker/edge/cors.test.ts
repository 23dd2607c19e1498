// CORS on the Worker's real routes: a page on an allowed origin may call the API; any other origin gets nothing to read.
import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../../src/worker/app.ts";

const PAGE = "http://127.0.0.1:5173";
/** A deployment's bindings (no DEV_MODE, a real secret) with ALLOWED_ORIGINS set (typed "" from wrangler.toml's literal). */
const allowing = (origins: string): Env =>
  ({ ...env, DEV_MODE: "off", TICKET_SECRET: "cors-test-secret-0123456789abcdefghijklmnop", ALLOWED_ORIGINS: origins }) as unknown as Env;
const withPage = allowing(`https://other.example, ${PAGE}`);

const call = (path: string, init: RequestInit = {}, bindings: Env = withPage) =>
  app.fetch(new Request(`http://room.test${path}`, init), bindings, createExecutionContext());

const preflight = (path: string, origin: string, method = "POST") =>
  call(path, { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "content-type" } });

const post = (path: string, body: unknown, origin = PAGE) =>
  call(path, { method: "POST", headers: { Origin: origin, "content-type": "application/json" }, body: JSON.stringify(body) });

describe("CORS", () => {
  it("answers a preflight from an allowed origin with 204 and what the SDK may send, without credentials", async () => {
    const response = await preflight("/api/matchmake", PAGE);
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "access-control-allow-origin": PAGE,
      "access-control-allow-methods": "GET,POST",
      "access-control-allow-headers": "content-type,authorization",
      "access-control-max-age": "600",
    });
    expect(response.headers.get("vary")).toContain("Origin");
    expect(response.headers.has("access-control-allow-credentials")).toBe(false);
  });

  it("refuses a preflight from any other origin with 403 and no CORS header, before any route runs", async () => {
    const response = await preflight("/api/matchmake", "https://evil.example");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "origin_not_allowed" });
    expect(response.headers.has("access-control-allow-origin")).toBe(false);
  });

  it("puts the allowed origin on answers and on typed errors, so the page can read both", async () => {
    const created = await post("/api/rooms", { game: "arena" });
    expect(created.status).toBe(201);
    expect(created.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(created.headers.get("vary")).toContain("Origin");
    const { roomId } = (await created.json()) as { roomId: string };

    const info = await call(`/api/rooms/${roomId}`, { headers: { Origin: PAGE } });
    expect(info.status).toBe(200);
    expect(info.headers.get("access-control-allow-origin")).toBe(PAGE);

    for (const refused of [await post("/api/rooms", { game: "nope" }), await call("/api/rooms/zzzzzzzzzzzz", { headers: { Origin: PAGE } })]) {
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.headers.get("access-control-allow-origin")).toBe(PAGE);
      expect(await refused.json()).toMatchObject({ type: "error" });
    }
    expect(created.headers.has("access-control-allow-credentials")).toBe(false);
  });

  it("gives an origin ALLOWED_ORIGINS does not list nothing to read, and one it lists everything", async () => {
    const unlisted = await call("/api/rooms?game=arena", { headers: { Origin: PAGE } }, allowing(""));
    expect(unlisted.status).toBe(403);
    expect(unlisted.headers.has("access-control-allow-origin")).toBe(false);
    const listed = await call("/api/rooms?game=arena", { headers: { Origin: PAGE } });
    expect(listed.status).toBe(200);
    expect(listed.headers.get("access-control-allow-origin")).toBe(PAGE);
  });

  it("leaves requests without an Origin (servers, bots) as they were", async () => {
    const response = await call("/api/rooms?game=arena");
    expect(response.status).toBe(200);
    expect(response.headers.has("access-control-allow-origin")).toBe(false);
  });
});
