// The Hono app: mounts the route files and turns every failure into the one error shape.
import { Hono } from "hono";
import { errorBody } from "../protocol/errors.ts";
import { errorResponse } from "./http.ts";
import { matchmaking } from "./routes/matchmaking.ts";
import { originPolicy } from "./edge/origin.ts";
import { inspector } from "./routes/inspect.ts";
import { rooms } from "./routes/rooms.ts";
import { catalogRoutes } from "./routes/games.ts";

export const app = new Hono<{ Bindings: Env }>()
  .get("/api/health", (c) => c.json({ ok: true }))
  .use("/api/*", originPolicy)
  .use("/rooms/*", originPolicy)
  .route("/", matchmaking)
  .route("/", rooms)
  .route("/", inspector)
  .route("/", catalogRoutes)
  .notFound(() => errorResponse(errorBody("not_found")))
  .onError((error) => {
    console.error("request failed", error);
    return errorResponse(errorBody("internal_error"));
  });
