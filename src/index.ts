// Worker entry: the Hono app handles requests; the Durable Object classes are exported for bindings.
import { app } from "./worker/app.ts";

export { GameRoom } from "./worker/room/game-room.ts";
export { Matchmaker } from "./worker/matchmaker/matchmaker.ts";
export { Party } from "./worker/matchmaker/party.ts";
export default app;
