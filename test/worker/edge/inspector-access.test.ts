// The dev inspector outside `npm run dev`: refused without INSPECTOR_SECRET, and open only to its holder (bearer or sign-in cookie).
import { describe, expect, it } from "vitest";
import { client, deployment, GOOD_SECRET } from "../../kit/edge.ts";
import { TestRoom } from "../../kit/room.ts";

const INSPECTOR_SECRET = "i".repeat(32) + crypto.randomUUID();
const deployed = (extra: Record<string, unknown> = {}) =>
  client("2001:db8::1", deployment({ TICKET_SECRET: GOOD_SECRET, INSPECTOR: "on", INSPECTOR_SECRET, ...extra }));

describe("the inspector in a deployment", () => {
  it("is refused with 503 when switched on without a usable INSPECTOR_SECRET", async () => {
    for (const secret of [undefined, "short"]) {
      const answer = await deployed({ INSPECTOR_SECRET: secret }).fetch("/api/inspect/rooms");
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ code: "server_misconfigured", detail: expect.stringContaining("INSPECTOR_SECRET") });
    }
  });

  it("answers 401 inspector_locked without the credential, and a sign-in form with a strict CSP for the page", async () => {
    const room = await TestRoom.create("arena");
    const worker = deployed();
    for (const answer of [
      await worker.fetch("/api/inspect/rooms"),
      await worker.upgrade(`/rooms/${room.id}/inspect`),
      await worker.fetch("/inspect/main.js"),
      await worker.fetch("/api/inspect/rooms", { headers: { Authorization: "Bearer wrong" } }),
      await worker.fetch("/api/inspect/rooms", { headers: { Cookie: "inspector=deadbeef" } }),
    ]) {
      expect(answer.status).toBe(401);
      expect(answer.webSocket).toBeNull();
      expect(await answer.json()).toMatchObject({ code: "inspector_locked" });
    }
    const page = await worker.fetch("/inspect");
    expect(page.status).toBe(401);
    expect(page.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    expect(await page.text()).toContain('action="/inspect/sign-in"');
  });

  it("opens to a bearer of the secret, and to a browser that signed in (cookie for the page's fetches and socket)", async () => {
    const room = await TestRoom.create("arena");
    const worker = deployed();
    expect((await worker.fetch("/api/inspect/rooms", { headers: { Authorization: `Bearer ${INSPECTOR_SECRET}` } })).status).toBe(200);
    const form = (secret: string) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `secret=${encodeURIComponent(secret)}` });
    expect((await worker.fetch("/inspect/sign-in", form("nope"))).status).toBe(401);
    const signIn = await worker.fetch("/inspect/sign-in", form(INSPECTOR_SECRET));
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(INSPECTOR_SECRET);
    const session = cookie.split(";")[0] ?? "";
    expect((await worker.fetch("/api/inspect/rooms", { headers: { Cookie: session } })).status).toBe(200);
    const socket = await worker.upgrade(`/rooms/${room.id}/inspect`, { Cookie: session });
    expect(socket.status).toBe(101);
    socket.webSocket?.accept();
    socket.webSocket?.close(1000, "done");
    // Off is off, credential or not.
    expect((await deployed({ INSPECTOR: "off" }).fetch("/api/inspect/rooms", { headers: { Cookie: session } })).status).toBe(404);
  });
});
