// Entry point: routes by URL (?room= ?code= ?watch=), runs joins, and swaps between the lobby and a game.
import { mountArena } from "./arena.ts";
import { mountBattleship } from "./battleship.ts";
import { type DemoGame, type DemoSession, join, joinAny, presetFor } from "./games.ts";
import { hooks } from "./hooks.ts";
import { mountHud } from "./hud.ts";
import { createLobby } from "./lobby.ts";
import { forgetSeat, loadSeat, saveSeat } from "./storage.ts";

const lobby = createLobby({
  play: (game, via) => void enter(via.via === "spectate" ? "Opening the room…" : "Finding your seat…", () => join(game, { ...via, name: lobby.name() })),
  joinCode: (code) => void enter("Joining the private room…", () => joinAny({ via: "code", code, name: lobby.name() })),
});
let leaveGame: (() => void) | undefined;

async function enter(doing: string, joining: () => Promise<DemoSession>): Promise<void> {
  lobby.busy(doing);
  try {
    play(await joining());
  } catch (error) {
    showLobby();
    lobby.error(error);
  }
}

function play(session: DemoSession): void {
  lobby.hide();
  hooks.session = session;
  hooks.screen = session.game;
  // Spectators get a watch link: reloading or sharing it must not take a seat.
  history.replaceState(null, "", `?${session.role === "spectator" ? "watch" : "room"}=${session.roomId ?? ""}`);

  // The token rotates on every reconnect, so the saved one is refreshed whenever it changes.
  let saved = "";
  const keepSeat = () => {
    const token = session.resumeToken;
    if (!token || token.token === saved) return;
    saved = token.token;
    saveSeat({ ...token, game: session.game });
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
  const unmount = session.game === "arena" ? mountArena(session, hud) : mountBattleship(session, hud, () => again(session.game));
  leaveGame = () => {
    stopKeeping();
    unmount();
    hud.unmount();
    leaveGame = undefined;
  };

  function again(game: DemoGame): void {
    session.leave();
    forgetSeat();
    leaveGame?.();
    void enter("Finding a new match…", () => join(game, { via: "quick", preset: presetFor(game), name: lobby.name() }));
  }
}

function showLobby(): void {
  hooks.session = undefined;
  hooks.screen = "lobby";
  history.replaceState(null, "", location.pathname);
  lobby.show();
}

/** Back to the same seat after a reload while it is still held; otherwise a fresh seat in the same room. */
async function rejoin(roomId: string): Promise<DemoSession> {
  const seat = loadSeat();
  if (seat?.roomId === roomId) {
    try {
      return await join(seat.game, { via: "resume", roomId, token: seat.token, name: lobby.name() });
    } catch {
      // The grace period ran out (or the token was used elsewhere): the seat is gone, take a new one.
      forgetSeat();
    }
  }
  return joinAny({ via: "room", roomId, name: lobby.name() });
}

const params = new URLSearchParams(location.search);
const room = params.get("room");
const code = params.get("code");
const watched = params.get("watch");
if (room) void enter("Rejoining the room…", () => rejoin(room));
else if (code) void enter("Joining the private room…", () => joinAny({ via: "code", code, name: lobby.name() }));
else if (watched) void enter("Opening the room…", () => joinAny({ via: "spectate", roomId: watched, name: lobby.name() }));
else showLobby();
