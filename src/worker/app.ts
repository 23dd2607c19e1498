// The Hono app: mounts the route files and turns every failure into the one error shape.
import { Hono } from "hono";
import { errorBody } from "../engine/errors.ts";
import { errorResponse } from "./http.ts";
import { matchmaking } from "./matchmaking.ts";
import { originPolicy } from "./origin.ts";
import { inspector } from "./inspect-routes.ts";
import { rooms } from "./rooms.ts";

export const app = new Hono<{ Bindings: Env }>()
  .get("/api/health", (c) => c.json({ ok: true }))
  .use("/api/*", originPolicy)
  .use("/rooms/*", originPolicy)
  .route("/", matchmaking)
  .route("/", rooms)
  .route("/", inspector)
  .notFound(() => errorResponse(errorBody("not_found")))
  .onError((error) => {
    console.error("request failed", error);
    return errorResponse(errorBody("internal_error"));
  });
