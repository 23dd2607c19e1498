// joinGame: one call from "I want to play" to a live, typed, self-healing room handle.
import type { GameName } from "../../src/games/index.ts";
import { GameSession, type JoinOptions, type JoinVia } from "./game-session.ts";
import { baseOf, createRoom, joinByCode, joinRoom, quickPlay, RequestError, roomInfo, type Seat, type Server, spectate, socketUrl } from "./join.ts";
import { GiveUp } from "./socket.ts";

function pageOrigin(): string {
  const origin = (globalThis as { location?: { origin: string } }).location?.origin;
  if (!origin) throw new Error("joinGame needs `server` outside a browser page");
  return origin;
}

/** A session of whichever game the room plays: narrow it on `session.game`. */
export type AnyGameSession = { [N in GameName]: GameSession<N> }[GameName];

/** Ways in that name a room, so the room can say which game it plays. */
export type JoinKnownRoom = Extract<JoinOptions, { via: "code" | "room" | "spectate" }>;

/** Connection attempts before the first welcome: a refused ticket or token shows only as a close, so fail fast. */
const FIRST_ATTEMPTS = 3;

/**
 * Join (or create, or watch) a room of `game`; resolves once the first view has arrived. Given no game
 * (a shared link, a typed code), it joins whatever the room plays: narrow the result on `session.game`.
 */
export function joinGame<N extends GameName>(game: N, options: JoinOptions): Promise<GameSession<N>>;
export function joinGame(game: undefined, options: JoinKnownRoom): Promise<AnyGameSession>;
export async function joinGame(wanted: GameName | undefined, options: JoinOptions): Promise<AnyGameSession> {
  const server = options.server ?? pageOrigin();
  const name = options.name ?? "guest";
  const seat = await firstSeat(server, wanted, name, options);
  const game = (wanted ?? seat.game) as GameName;
  if (seat.game !== undefined && seat.game !== game) throw new Error(`room ${seat.roomId} plays ${seat.game}, not ${game}`);
  const session = new GameSession(
    game,
    seat,
    async (session) => {
      const { client } = session;
      const welcome = client.welcome;
      // Never got in: the first ticket or token was not used up, so it is still the way in.
      if (!welcome) return seat.url;
      // A spectator holds no seat to come back to: it simply watches again with a fresh ticket.
      if (!welcome.reconnectToken) return (await spectate(server, welcome.roomId, name)).url;
      // A refused token shows only as a close: after a failed try, ask the room whether the seat is still held.
      if (session.reconnectAttempts > 0 && !(await seatHeld(server, welcome.roomId, welcome.playerId))) {
        throw new GiveUp("the seat is gone: the reconnect grace period ran out, or the room closed");
      }
      const params: Record<string, string> = { reconnect: welcome.reconnectToken };
      if (client.version >= 0) params["version"] = String(client.version);
      return socketUrl(baseOf(server), welcome.roomId, params);
    },
    options,
  );
  await new Promise<void>((resolve, reject) => {
    let failures = 0;
    const fail = (why: string) => {
      stop();
      session.leave();
      reject(new Error(why));
    };
    const stop = session.subscribe(() => {
      const welcome = session.client.welcome;
      if (session.view !== undefined && welcome) {
        if (welcome.game !== game) return fail(`room ${welcome.roomId} plays ${welcome.game}, not ${game}`);
        stop();
        resolve();
      } else if (session.status === "closed" || (session.status === "reconnecting" && !welcome && ++failures >= FIRST_ATTEMPTS)) {
        fail(`could not connect: ${session.closed?.reason || "the ticket or token was refused, or the server is unreachable"}`);
      }
    });
  });
  return session as AnyGameSession;
}

/** Whether the room still holds the player's seat; when it cannot tell (a network error), assume it does. */
async function seatHeld(server: Server, roomId: string, playerId: string): Promise<boolean> {
  try {
    const info = await roomInfo(server, roomId);
    const seat = info.players.find((player) => player.id === playerId);
    return seat !== undefined;
  } catch (error) {
    return !(error instanceof RequestError && error.body.code === "room_not_found");
  }
}

async function firstSeat(server: Server, game: GameName | undefined, name: string, options: JoinVia): Promise<{ url: string; roomId: string; game?: string; code?: string }> {
  // Creating needs a game; the overloads make sure one was given for these.
  const named = game as GameName;
  switch (options.via) {
    case "quick":
      return quickPlay(server, named, name, options.preset);
    case "create": {
      const created = await createRoom(server, named, { ...(options.preset ? { preset: options.preset } : {}), private: options.private ?? false });
      const seat: Seat = created.code ? await joinByCode(server, created.code, name) : await joinRoom(server, created.roomId, name);
      return created.code ? { ...seat, code: created.code } : seat;
    }
    case "code":
      return joinByCode(server, options.code, name);
    case "room":
      return joinRoom(server, options.roomId, name);
    case "spectate":
      return spectate(server, options.roomId, name);
    case "resume":
      return { roomId: options.roomId, url: socketUrl(baseOf(server), options.roomId, { reconnect: options.token }) };
  }
}
