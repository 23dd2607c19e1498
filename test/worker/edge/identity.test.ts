// Identity at the edge: provider JWTs checked against a JWKS made in the test, guests kept across rooms, bans, all before any object.
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sign } from "hono/utils/jwt/jwt";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { SeatGrant } from "../../../src/protocol/api.ts";
import type { ErrorBody } from "../../../src/protocol/errors.ts";
import { randomId } from "../../../src/worker/http.ts";
import { settings } from "../../../src/worker/settings.ts";
import { BASE, client, deployment } from "../../kit/edge.ts";
import { TestSocket } from "../../kit/socket.ts";

const ISSUER = "https://id.example/";
const AUDIENCE = "game-room";
const JWKS_URL = "https://id.example/.well-known/jwks.json";

type Jwk = JsonWebKey & { kid?: string; alg?: string };
let rsa: { privateJwk: Jwk; publicJwk: Jwk };
let ec: { privateJwk: Jwk; publicJwk: Jwk };
/** What the provider's JWKS endpoint serves right now (rotation swaps it). */
let published: Jwk[] = [];
let jwksFetches = 0;

async function keyPair(algorithm: Parameters<typeof crypto.subtle.generateKey>[0], alg: string, kid: string) {
  const pair = (await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const privateJwk = { ...((await crypto.subtle.exportKey("jwk", pair.privateKey)) as Jwk), alg, kid };
  const publicJwk = { ...((await crypto.subtle.exportKey("jwk", pair.publicKey)) as Jwk), alg, kid };
  return { privateJwk, publicJwk };
}

beforeAll(async () => {
  rsa = await keyPair({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, "RS256", "rsa-1");
  ec = await keyPair({ name: "ECDSA", namedCurve: "P-256" }, "ES256", "ec-1");
  published = [rsa.publicJwk];
  // The provider's JWKS endpoint, served by the test: the Worker fetches it like any URL, and nothing leaves the machine.
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(JWKS_URL)) return real(input, init);
    jwksFetches += 1;
    return Response.json({ keys: published });
  });
});

afterEach(() => {
  published = [rsa.publicJwk];
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: AUDIENCE, sub: `user-${randomId(6)}`, name: "Ann Verified", iat: now(), exp: now() + 600, ...extra });

const b64url = (value: unknown): string =>
  btoa(typeof value === "string" ? value : JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** A token with any header and payload, signed with HMAC-SHA-256 under `secret` (the "HS256 with the public key" trick). */
async function hmacToken(header: object, payload: object, secret: string): Promise<string> {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input)));
  return `${input}.${b64url(String.fromCharCode(...signature))}`;
}

/** The Worker as a deployment using the provider (DEV_MODE stays on, so loopback clients are not rate limited). */
const withProvider = (jwksUrl = JWKS_URL) => client(undefined, deployment({ DEV_MODE: "on", JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWKS_URL: jwksUrl }));
const asGuests = () => client(undefined, deployment({ DEV_MODE: "on" }));

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function newRoom(game = "tic-tac-toe"): Promise<string> {
  const created = await asGuests().post("/api/rooms", { game });
  return ((await created.json()) as { roomId: string }).roomId;
}

const roomIds = async () => (await listDurableObjectIds(env.ROOMS)).length;
const matchmakerIds = async () => (await listDurableObjectIds(env.MATCHMAKER)).length;
const partyIds = async () => (await listDurableObjectIds(env.PARTIES)).length;

describe("a deployment with a JWT provider", () => {
  it("seats a valid token's user under its user id, with the provider's name on the roster", async () => {
    const roomId = await newRoom();
    const token = await sign(claims({ sub: "auth0|ann-42" }), rsa.privateJwk as never);
    const response = await withProvider().post(`/api/rooms/${roomId}/join`, { name: "typed name" }, bearer(token));
    expect(response.status).toBe(200);
    const seat = (await response.json()) as SeatGrant;
    expect(seat).toMatchObject({ userId: "auth0|ann-42", playerId: "auth0|ann-42", name: "Ann Verified", role: "player" });
    expect(seat.guestToken).toBeUndefined();
    const socket = await TestSocket.open(`${BASE}/rooms/${roomId}/ws?ticket=${encodeURIComponent(seat.ticket)}`);
    expect(socket.welcome?.playerId).toBe("auth0|ann-42");
    expect((socket.view as { roster: Record<string, { name: string }> }).roster["auth0|ann-42"]?.name).toBe("Ann Verified");
    socket.ws.close();
  });

  it("accepts ES256 keys too, and picks up a rotated key by its kid, refetching at most every jwksRefetchSeconds", async () => {
    const roomId = await newRoom();
    const provider = withProvider(`${JWKS_URL}?rotation`);
    published = [rsa.publicJwk];
    const before = jwksFetches;
    expect((await provider.post(`/api/rooms/${roomId}/join`, {}, bearer(await sign(claims(), rsa.privateJwk as never)))).status).toBe(200);
    expect(jwksFetches).toBe(before + 1);
    // The provider rotates: a new key appears. Right after a fetch, an unknown kid costs no second fetch (a flood
    // of made-up kids cannot hammer the provider)...
    published = [rsa.publicJwk, ec.publicJwk];
    const ecToken = await sign(claims(), ec.privateJwk as never);
    const early = await provider.post(`/api/rooms/${roomId}/join`, {}, bearer(ecToken));
    expect(((await early.json()) as ErrorBody).detail).toBe("unknown kid");
    expect(jwksFetches).toBe(before + 1);
    // ...and once jwksRefetchSeconds have passed, the unknown kid fetches the set again and is found.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + (settings.jwksRefetchSeconds + 1) * 1000);
      expect((await provider.post(`/api/rooms/${roomId}/join`, {}, bearer(ecToken))).status).toBe(200);
      expect(jwksFetches).toBe(before + 2);
      // The RS256 key still verifies from the cache.
      expect((await provider.post(`/api/rooms/${roomId}/join`, {}, bearer(await sign(claims(), rsa.privateJwk as never)))).status).toBe(200);
      expect(jwksFetches).toBe(before + 2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses expired, wrong-issuer, wrong-audience, alg tricks, unknown kids, no exp and no token on 7 seat routes, addressing no object", async () => {
    const roomId = randomId(12);
    const good = claims();
    const publicAsSecret = JSON.stringify(rsa.publicJwk);
    const foreign = await keyPair({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, "RS256", "rsa-1");
    const cases: [string, string | undefined, ErrorBody["code"]][] = [
      ["expired", await sign(claims({ exp: now() - 5 }), rsa.privateJwk as never), "identity_expired"],
      ["wrong issuer", await sign(claims({ iss: "https://evil.example/" }), rsa.privateJwk as never), "identity_invalid"],
      ["wrong audience", await sign(claims({ aud: "another-app" }), rsa.privateJwk as never), "identity_invalid"],
      ["no audience", await sign(claims({ aud: undefined }), rsa.privateJwk as never), "identity_invalid"],
      ["alg none", `${b64url({ alg: "none", typ: "JWT", kid: "rsa-1" })}.${b64url(good)}.`, "identity_invalid"],
      ["HS256 with the public key", await hmacToken({ alg: "HS256", typ: "JWT", kid: "rsa-1" }, good, publicAsSecret), "identity_invalid"],
      ["HS256 with the modulus", await hmacToken({ alg: "HS256", typ: "JWT", kid: "rsa-1" }, good, rsa.publicJwk.n ?? ""), "identity_invalid"],
      ["RS256 key claimed as ES256", await hmacToken({ alg: "ES256", typ: "JWT", kid: "rsa-1" }, good, "x"), "identity_invalid"],
      ["unknown kid", await sign(claims(), { ...rsa.privateJwk, kid: "who-knows" } as never), "identity_invalid"],
      ["no kid", await hmacToken({ alg: "RS256", typ: "JWT" }, good, "x"), "identity_invalid"],
      ["signed by another key under the same kid", await sign(claims(), foreign.privateJwk as never), "identity_invalid"],
      ["edited payload", (await sign(claims(), rsa.privateJwk as never)).replace(/\.[^.]+\./, `.${b64url({ ...good, sub: "admin" })}.`), "identity_invalid"],
      ["no exp", await sign(claims({ exp: undefined }), rsa.privateJwk as never), "identity_invalid"],
      ["not a JWT", "guest.token", "identity_invalid"],
      ["no token", undefined, "identity_required"],
    ];
    const rooms = await roomIds();
    const matchmakers = await matchmakerIds();
    const parties = await partyIds();
    const provider = withProvider();
    for (const [label, token, code] of cases) {
      const headers = token === undefined ? {} : bearer(token);
      for (const answer of [
        await provider.post(`/api/rooms/${roomId}/join`, { name: "m" }, headers),
        await provider.post(`/api/rooms/${roomId}/spectate`, { name: "m" }, headers),
        await provider.post("/api/matchmake", { game: "tic-tac-toe", name: "m" }, headers),
        await provider.post("/api/private/ABCDEF/join", { name: "m" }, headers),
        await provider.post("/api/parties", { game: "tic-tac-toe", name: "m" }, headers),
        await provider.post("/api/parties/ABCDEF/join", { name: "m" }, headers),
        await provider.post("/api/parties/ABCDEF/queue", { token: "a".repeat(24) }, headers),
      ]) {
        expect(answer.status, label).toBe(401);
        expect(((await answer.json()) as ErrorBody).code, label).toBe(code);
      }
    }
    expect(await roomIds()).toBe(rooms);
    expect(await matchmakerIds()).toBe(matchmakers);
    expect(await partyIds()).toBe(parties);
  });

  it("refuses a banned user with 403 user_banned before any object, and seats them again once the ban lapses", async () => {
    const roomId = await newRoom();
    const sub = `banned-${randomId(6)}`;
    await env.DB.prepare("INSERT INTO bans (user_id, reason, until) VALUES (?1, 'griefing', NULL)").bind(sub).run();
    const token = await sign(claims({ sub }), rsa.privateJwk as never);
    const rooms = await roomIds();
    const matchmakers = await matchmakerIds();
    const stranger = randomId(12);
    for (const answer of [
      await withProvider().post(`/api/rooms/${stranger}/join`, {}, bearer(token)),
      await withProvider().post("/api/matchmake", { game: "tic-tac-toe" }, bearer(token)),
    ]) {
      expect(answer.status).toBe(403);
      expect(((await answer.json()) as ErrorBody).code).toBe("user_banned");
    }
    expect(await roomIds()).toBe(rooms);
    expect(await matchmakerIds()).toBe(matchmakers);
    await env.DB.prepare("UPDATE bans SET until = ?2 WHERE user_id = ?1").bind(sub, Date.now() - 1).run();
    expect((await withProvider().post(`/api/rooms/${roomId}/join`, {}, bearer(token))).status).toBe(200);
  });
});

describe("guests (the default)", () => {
  it("keeps one guest id across two rooms and a reload, and seats it once per room", async () => {
    const [first, second] = [await newRoom(), await newRoom()];
    const guests = asGuests();
    const minted = (await (await guests.post(`/api/rooms/${first}/join`, { name: "Gus" })).json()) as SeatGrant;
    expect(minted.userId).toMatch(/^g_[a-km-np-z2-9]{16}$/);
    expect(minted.guestToken).toEqual(expect.any(String));
    const token = minted.guestToken ?? "";
    const socket = await TestSocket.open(`${BASE}/rooms/${first}/ws?ticket=${encodeURIComponent(minted.ticket)}`);
    expect(socket.welcome?.playerId).toBe(minted.userId);
    // Another room: the same player.
    const elsewhere = (await (await guests.post(`/api/rooms/${second}/join`, { name: "Gus" }, bearer(token))).json()) as SeatGrant;
    expect(elsewhere).toMatchObject({ userId: minted.userId, playerId: minted.userId });
    expect(elsewhere.guestToken).toBeUndefined();
    // A reload (or a second device) asks the first room again: the same seat, which the new socket takes over.
    const again = (await (await guests.post(`/api/rooms/${first}/join`, { name: "Gus" }, bearer(token))).json()) as SeatGrant;
    expect(again).toMatchObject({ userId: minted.userId, playerId: minted.userId, team: minted.team });
    const takeover = await TestSocket.open(`${BASE}/rooms/${first}/ws?ticket=${encodeURIComponent(again.ticket)}`);
    expect((await socket.closing()).code).toBe(4001);
    const info = (await (await guests.fetch(`/api/rooms/${first}`)).json()) as { seated: number; players: { id: string }[] };
    expect(info.seated).toBe(1);
    expect(info.players.map((p) => p.id)).toEqual([minted.userId]);
    takeover.ws.close();
  });

  it("is the same user in a party: the party's seat carries the guest's id", async () => {
    const guests = asGuests();
    const minted = (await (await guests.post("/api/identity", { name: "Pia" })).json()) as { userId: string; guestToken: string };
    const pass = (await (await guests.post("/api/parties", { game: "tic-tac-toe", name: "Pia" }, bearer(minted.guestToken))).json()) as { code: string; token: string };
    const state = (await (await guests.post(`/api/parties/${pass.code}/queue`, { token: pass.token }, bearer(minted.guestToken))).json()) as { seat?: SeatGrant };
    expect(state.seat).toMatchObject({ userId: minted.userId, playerId: minted.userId, name: "Pia" });
  });

  it("refuses a forged or edited guest token, and a ticket is no guest token", async () => {
    const roomId = await newRoom();
    const minted = (await (await asGuests().post(`/api/rooms/${roomId}/join`, {})).json()) as SeatGrant;
    const [body = "", signature = ""] = (minted.guestToken ?? "").split(".");
    const edited = `${b64url({ v: 1, uid: "g_aaaaaaaaaaaaaaaa", exp: Date.now() + 1e9 })}.${signature}`;
    const rooms = await roomIds();
    for (const token of [edited, `${body}.${signature.slice(0, -2)}xx`, minted.ticket, "a.b.c"]) {
      const answer = await asGuests().post(`/api/rooms/${randomId(12)}/join`, {}, bearer(token));
      expect(answer.status).toBe(401);
      expect(((await answer.json()) as ErrorBody).code).toBe("identity_invalid");
    }
    expect(await roomIds()).toBe(rooms);
  });
});
