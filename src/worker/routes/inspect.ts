// Routes of the dev inspector: its page, sign-in, the list of rooms, and the inspector socket; all 404 unless INSPECTOR is on.
import { Hono, type MiddlewareHandler } from "hono";
import { setCookie } from "hono/cookie";
import { errorBody } from "../../protocol/errors.ts";
import type { InspectedRooms } from "../../protocol/inspection.ts";
import { games } from "../../games/index.ts";
import { errorResponse } from "../http.ts";
import { allInRegion } from "../matchmaker/shards.ts";
import { regionOfRequest } from "../edge/requester.ts";
import { handoffRequest } from "../edge/handoff.ts";
import { INSPECTOR_COOKIE, inspectorRefusal, sameSecret, SESSION_SECONDS, sessionToken } from "../edge/inspector-access.ts";
import { SECURITY_HEADERS } from "../edge/security-headers.ts";
import { roomIdParam, roomStub, type App } from "../edge/seats.ts";

/** Rooms per game the inspector lists: the first page of each pool. */
const LISTED = 100;

/** Asked for instead of the page when a deployed inspector has no session yet: a form, no script. */
const SIGN_IN = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Inspector sign-in</title>
<body style="font:16px system-ui;background:#111;color:#eee;display:grid;place-items:center;height:100vh;margin:0">
<form method="post" action="/inspect/sign-in"><p>This deployment's inspector needs its INSPECTOR_SECRET.</p>
<input type="password" name="secret" autocomplete="current-password" required autofocus style="width:24em">
<button type="submit">Sign in</button></form></body></html>`;

/**
 * The inspector shows every audience's view, hidden information included, to anyone who can reach it:
 * it must never answer in a deployed game unless someone switched it on on purpose and holds its secret.
 */
const gate: MiddlewareHandler<App> = async (c, next) => {
  const refusal = await inspectorRefusal(c);
  if (refusal === undefined) return next();
  // The page itself offers the sign-in form; everything else answers the typed error.
  const page = c.req.method === "GET" && (c.req.path === "/inspect" || c.req.path === "/inspect/");
  if (page && refusal.code === "inspector_locked") return c.html(SIGN_IN, 401, SECURITY_HEADERS);
  return errorResponse(refusal);
};

export const inspector = new Hono<App>()
  // Signing in checks the secret itself, so it comes before the gate.
  .post("/inspect/sign-in", async (c) => {
    const refusal = await inspectorRefusal(c);
    if (refusal !== undefined && refusal.code !== "inspector_locked") return errorResponse(refusal);
    const secret = c.env.INSPECTOR_SECRET ?? "";
    const given = (await c.req.parseBody())["secret"];
    if (secret === "" || typeof given !== "string" || !(await sameSecret(given, secret))) return errorResponse(errorBody("inspector_locked"));
    setCookie(c, INSPECTOR_COOKIE, await sessionToken(secret), { path: "/", httpOnly: true, secure: true, sameSite: "Strict", maxAge: SESSION_SECONDS });
    return c.redirect("/inspect", 303);
  })
  .use("/inspect", gate)
  .use("/inspect/*", gate)
  .use("/api/inspect/*", gate)
  .use("/rooms/:id/inspect", gate)
  // The page is a static asset, but wrangler.toml routes it through the Worker first so the gate holds for it too.
  .get("/inspect", (c) => c.env.ASSETS.fetch(c.req.raw))
  .get("/inspect/*", (c) => c.env.ASSETS.fetch(c.req.raw))
  .get("/api/inspect/rooms", async (c) => {
    const names = Object.keys(games);
    // The inspector's own region: in dev, the one every local tab plays in.
    const pools = await Promise.all(names.map(async (game) => ({ rooms: await allInRegion(c.env, game, regionOfRequest(c), LISTED) })));
    const body: InspectedRooms = {
      games: names.map((game, i) => ({
        game,
        rooms: (pools[i]?.rooms ?? []).map(({ roomId, preset, phase, seated, capacity }) => ({ roomId, preset, phase, seated, capacity })),
      })),
    };
    return c.json(body);
  })
  .get("/rooms/:id/inspect", async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return errorResponse(errorBody("upgrade_required"));
    const id = roomIdParam(c);
    return id instanceof Response ? id : roomStub(c.env, id).fetch(handoffRequest(id, { kind: "inspector" }));
  });
