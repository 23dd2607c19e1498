// Parties in the SDK: make one, join it by code, queue it (the leader), and wait for this member's seat.
import type { PartyPass, PartyState } from "../../src/protocol/api.ts";
import type { GameName } from "../../src/games/index.ts";
import { post, withUrl, type Seat, type Server } from "./join.ts";

/** Start a party as its leader; share `pass.code` with friends. */
export const createParty = (server: Server, game: GameName, name: string, preset?: string): Promise<PartyPass> =>
  post(server, "/api/parties", { game, name, ...(preset === undefined ? {} : { preset }) });

/** Join a friend's party by its code (case-insensitive). */
export const joinParty = (server: Server, code: string, name: string): Promise<PartyPass> =>
  post(server, `/api/parties/${encodeURIComponent(code)}/join`, { name });

/** The party now, as this member sees it. */
export const partyState = (server: Server, pass: PartyPass): Promise<PartyState> =>
  post(server, `/api/parties/${encodeURIComponent(pass.code)}/state`, { token: pass.token });

/** The leader queues the whole party; it resolves with the leader's own seat (members get theirs from `waitForPartySeat`). */
export async function queueParty(server: Server, pass: PartyPass): Promise<Seat> {
  const state = await post<PartyState>(server, `/api/parties/${encodeURIComponent(pass.code)}/queue`, { token: pass.token });
  if (!state.seat) throw new Error("the party was queued but no seat came back");
  return withUrl(server, state.seat);
}

/**
 * A member waits for the leader to queue: the party's state is asked for every `intervalMs` (1 s) until this
 * member has a seat, or `timeoutMs` (10 minutes) passes. A seat's ticket lives seconds: connect at once.
 */
export async function waitForPartySeat(server: Server, pass: PartyPass, options: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Seat> {
  const { intervalMs = 1000, timeoutMs = 600_000, signal } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await partyState(server, pass);
    if (state.seat) return withUrl(server, state.seat);
    if (signal?.aborted) throw signal.reason ?? new Error("aborted");
    if (Date.now() + intervalMs > deadline) throw new Error(`no seat for party ${pass.code} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
