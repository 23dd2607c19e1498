// Routes of the dev inspector: its page, the list of every room, and the inspector socket; all 404 unless INSPECTOR is on.
import { Hono, type MiddlewareHandler } from "hono";
import { errorBody } from "../../protocol/errors.ts";
import type { InspectedRooms } from "../../protocol/inspection.ts";
import { games } from "../../games/index.ts";
import { errorResponse } from "../http.ts";
import { matchmakerFor } from "../matchmaker/matchmaker.ts";
import { inspectorOn } from "../settings.ts";
import { roomIdParam, roomStub, type App } from "../edge/seats.ts";

/**
 * The inspector shows every audience's view, hidden information included, to anyone who can reach it:
 * it must never answer in a deployed game unless someone switched it on on purpose.
 */
const gate: MiddlewareHandler<App> = async (c, next) => (inspectorOn(c.env) ? next() : errorResponse(errorBody("inspector_off")));

export const inspector = new Hono<App>()
  .use("/inspect", gate)
  .use("/inspect/*", gate)
  .use("/api/inspect/*", gate)
  .use("/rooms/:id/inspect", gate)
  // The page is a static asset, but wrangler.toml routes it through the Worker first so the gate holds for it too.
  .get("/inspect", (c) => c.env.ASSETS.fetch(c.req.raw))
  .get("/inspect/*", (c) => c.env.ASSETS.fetch(c.req.raw))
  .get("/api/inspect/rooms", async (c) => {
    const names = Object.keys(games);
    const pools = await Promise.all(names.map((game) => matchmakerFor(c.env, game).all()));
    const body: InspectedRooms = {
      games: names.map((game, i) => ({
        game,
        rooms: (pools[i] ?? []).map(({ roomId, preset, phase, seated, capacity }) => ({ roomId, preset, phase, seated, capacity })),
      })),
    };
    return c.json(body);
  })
  .get("/rooms/:id/inspect", async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return errorResponse(errorBody("upgrade_required"));
    const id = roomIdParam(c);
    return id instanceof Response ? id : roomStub(c.env, id).fetch(c.req.raw);
  });
