// Players over HTTP: who the server takes this client for, a player's recent matches, a game's leaderboard.
import type { IdentityAnswer, LeaderboardPage, MatchPage } from "../../src/protocol/api.ts";
import { getJson, post, type Server } from "./join.ts";

/** Who the server takes this client for (a first visit mints a guest, whose token the credentials keep). */
export const whoAmI = (server: Server, name?: string): Promise<IdentityAnswer> => post(server, "/api/identity", name === undefined ? {} : { name });

const page = (options: { cursor?: string; limit?: number }): string => {
  const query = new URLSearchParams();
  if (options.cursor !== undefined) query.set("cursor", options.cursor);
  if (options.limit !== undefined) query.set("limit", String(options.limit));
  return query.size > 0 ? `?${query}` : "";
};

/** A player's ended matches, newest first; pass `next` as `cursor` for the following page. */
export const matchHistory = (server: Server, userId: string, options: { cursor?: string; limit?: number } = {}): Promise<MatchPage> =>
  getJson(server, `/api/players/${encodeURIComponent(userId)}/matches${page(options)}`);

/** A game's standings, most wins first. */
export const leaderboard = (server: Server, game: string, options: { cursor?: string; limit?: number } = {}): Promise<LeaderboardPage> => {
  const rest = page(options);
  return getJson(server, `/api/leaderboard?game=${encodeURIComponent(game)}${rest ? `&${rest.slice(1)}` : ""}`);
};
