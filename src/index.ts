// Worker entry: the Hono app handles requests; the Durable Object classes are exported for bindings.
import { app } from "./worker/app.ts";

export { GameRoom } from "./worker/game-room.ts";
export { Matchmaker } from "./worker/matchmaker.ts";
export default app;
