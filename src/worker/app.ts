// The Hono app: mounts the route files and turns every failure into the one error shape.
import { Hono } from "hono";
import { CodedError, errorBody } from "../protocol/errors.ts";
import { errorResponse } from "./http.ts";
import { matchmaking } from "./routes/matchmaking.ts";
import { parties } from "./routes/parties.ts";
import { originPolicy } from "./edge/origin.ts";
import { cors } from "./edge/cors.ts";
import { secretGate } from "./edge/deployment.ts";
import { inspector } from "./routes/inspect.ts";
import { rooms } from "./routes/rooms.ts";
import { catalogRoutes } from "./routes/games.ts";
import { players } from "./routes/players.ts";

export const app = new Hono<{ Bindings: Env }>()
  .get("/api/health", (c) => c.json({ ok: true }))
  // CORS right after the origin policy (which refuses other origins first), so the gate's refusals are readable too.
  .use("/api/*", originPolicy, cors, secretGate)
  .use("/rooms/*", originPolicy, secretGate)
  .route("/", matchmaking)
  .route("/", parties)
  .route("/", rooms)
  .route("/", inspector)
  .route("/", catalogRoutes)
  .route("/", players)
  .notFound(() => errorResponse(errorBody("not_found")))
  .onError((error) => {
    // A coded refusal thrown from deep inside (a missing secret, say) is an answer, not a failure.
    if (error instanceof CodedError) return errorResponse(errorBody(error.code, { detail: error.detail }));
    console.error("request failed", error);
    return errorResponse(errorBody("internal_error"));
  });
