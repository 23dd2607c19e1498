// Entry point: routes by URL (/play/<game>, ?room= ?code= ?watch=), runs joins, and swaps between the lobby and a game.
import type { GameName } from "../../src/games/index.ts";
import { roomInfo } from "../sdk/index.ts";
import { isRegistered, loadCatalog } from "./catalog.ts";
import { codeProblem } from "./lobby/copy.ts";
import { type DemoSession, join, joinAny, presetFor } from "./games.ts";
import { hooks } from "./hooks.ts";
import { mountHud } from "./panels/hud.ts";
import { createLobby } from "./lobby/lobby.ts";
import { mountPeople } from "./panels/people.ts";
import { mountChat } from "./panels/chat.ts";
import { mountScreen } from "./screens.ts";
import { forgetSeat, loadSeat, saveSeat } from "./storage.ts";

const lobby = createLobby({
  play: (game, via) => void enter(via.via === "spectate" ? "Opening the room…" : "Finding your seat…", () => join(game, { ...via, name: lobby.name() })),
  joinCode: (code) => void enter("Joining the private room…", () => joinAny({ via: "code", code, name: lobby.name() }), code),
});
let leaveGame: (() => void) | undefined;

async function enter(doing: string, joining: () => Promise<DemoSession>, code?: string): Promise<void> {
  lobby.busy(doing);
  try {
    play(await joining());
  } catch (error) {
    showLobby();
    lobby.error(error, code);
  }
}

function play(session: DemoSession): void {
  lobby.hide();
  hooks.session = session;
  hooks.screen = session.game;
  // The address names the game and the room; spectators get a watch link: reloading or sharing it must not take a seat.
  history.replaceState(null, "", `/play/${session.game}?${session.role === "spectator" ? "watch" : "room"}=${session.roomId ?? ""}`);

  // The token rotates on every reconnect, so the saved one is refreshed whenever it changes.
  let saved = "";
  const keepSeat = () => {
    const token = session.resumeToken;
    if (!token || token.token === saved || !session.playerId) return;
    saved = token.token;
    saveSeat(token, session.playerId);
  };
  keepSeat();
  const stopKeeping = session.subscribe(keepSeat);

  const leave = () => {
    session.leave();
    forgetSeat();
    leaveGame?.();
    showLobby();
  };
  const hud = mountHud(session, leave);
  const unmountPeople = mountPeople(session);
  const unmountChat = mountChat(session);
  const unmount = mountScreen(session, { hud, playAgain: () => again(session.game) });
  leaveGame = () => {
    stopKeeping();
    unmount();
    unmountPeople();
    unmountChat();
    hud.unmount();
    leaveGame = undefined;
  };

  function again(game: GameName): void {
    session.leave();
    forgetSeat();
    leaveGame?.();
    void enter("Finding a new match…", () => join(game, { via: "quick", preset: presetFor(game), name: lobby.name() }));
  }
}

function showLobby(): void {
  hooks.session = undefined;
  hooks.screen = "lobby";
  history.replaceState(null, "", "/");
  lobby.show();
}

/**
 * Back to the same seat after a reload while the room still holds it; otherwise a fresh seat in the same room.
 * The room is asked first: a refused reconnect token shows only as a failed WebSocket, an error in the console.
 */
async function rejoin(roomId: string): Promise<DemoSession> {
  const [catalog, info] = await Promise.all([loadCatalog(), roomInfo(location.origin, roomId)]);
  const seat = loadSeat();
  // A seat given up is marked "left" or gone from the list altogether.
  const held = seat?.roomId === roomId && info.players.some((player) => player.id === seat.playerId && (player.presence === "connected" || player.presence === "away"));
  if (seat && held && isRegistered(catalog, seat.game)) {
    try {
      return await join(seat.game, { via: "resume", roomId, token: seat.token, name: lobby.name() });
    } catch {
      // Given up between the question and the reconnect (or the token was used elsewhere): take a new seat.
    }
  }
  forgetSeat();
  // Asked here rather than by a join the room would refuse (and the browser would log as a failed request).
  if (info.phase === "ended" || info.phase === "abandoned" || info.phase === "disposed") throw new Error("That match has ended. Start a new one with Quick play.");
  if (!info.joinable) throw new Error("That room takes no new players right now. Watch it from the open rooms, or start a new one with Quick play.");
  return joinAny({ via: "room", roomId, name: lobby.name() });
}

/** `/play/<game>`: a seat in that game's fullest open room (or a new one). */
async function quickPlay(name: string): Promise<DemoSession> {
  const catalog = await loadCatalog();
  if (!isRegistered(catalog, name)) {
    throw new Error(`No game called "${name}" is registered here. The games: ${catalog.map((game) => game.name).join(", ")}.`);
  }
  return join(name, { via: "quick", preset: presetFor(name), name: lobby.name() });
}

loadCatalog().then(
  (catalog) => lobby.setGames(catalog),
  (error: unknown) => lobby.error(error),
);

const params = new URLSearchParams(location.search);
const room = params.get("room");
const code = params.get("code")?.trim().toUpperCase();
const watched = params.get("watch");
const game = /^\/play\/([^/]+)\/?$/.exec(location.pathname)?.[1];
if (room) void enter("Rejoining the room…", () => rejoin(room));
else if (code !== undefined) {
  const problem = codeProblem(code);
  if (problem) (showLobby(), lobby.error(new Error(`The link's ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`)));
  else void enter("Joining the private room…", () => joinAny({ via: "code", code, name: lobby.name() }), code);
} else if (watched) void enter("Opening the room…", () => joinAny({ via: "spectate", roomId: watched, name: lobby.name() }));
else if (game) void enter(`Finding a seat in ${decodeURIComponent(game)}…`, () => quickPlay(decodeURIComponent(game)));
else showLobby();
