// The lobby screen: the player's name, a card per game (quick play, private room), join by code, open rooms.
import type { GameName } from "../../../src/games/index.ts";
import type { JoinVia } from "../../sdk/index.ts";
import { type CatalogGame, isRegistered, loadCatalog } from "../catalog.ts";
import { codeProblem, joinFailure } from "./copy.ts";
import { byId, h } from "../dom.ts";
import { presetFor } from "../games.ts";
import { createRoomList } from "./room-list.ts";
import { mountPlayersPanel } from "./players-panel.ts";
import { hasOwnScreen } from "../screens.ts";
import { loadName, saveName } from "../storage.ts";

export interface LobbyActions {
  play(game: GameName, via: JoinVia): void;
  joinCode(code: string): void;
}

export interface Lobby {
  /** The name to join with: what the player typed, or a made-up one. */
  name(): string;
  /** Adds a card for every game without one in index.html, and starts listing their open rooms. */
  setGames(catalog: readonly CatalogGame[]): void;
  show(): void;
  hide(): void;
  /** Disables the buttons and says what is going on, while a join is under way. */
  busy(text: string): void;
  /** A failed join; `code` is the private code it tried. */
  error(error: unknown, code?: string): void;
}

const FALLBACK_NAMES = ["Otter", "Falcon", "Comet", "Pike", "Moth", "Lynx", "Heron", "Orca"];

export function createLobby(actions: LobbyActions): Lobby {
  const screen = byId("lobby-screen");
  const nameInput = byId<HTMLInputElement>("name");
  const busyLine = byId("lobby-busy");
  const errorLine = byId("lobby-error");
  const codeInput = byId<HTMLInputElement>("join-code");
  // A code's problem shows under the code field, where the player is looking (on a phone the top is scrolled away).
  const codeError = byId("join-code-error");
  const cards = byId("cards");
  let catalog: readonly CatalogGame[] = [];
  const rooms = createRoomList(byId("rooms"), byId<HTMLButtonElement>("rooms-refresh"), actions.play, () => catalog);

  nameInput.value = loadName();
  nameInput.addEventListener("input", () => saveName(nameInput.value.trim()));
  // A guest name stays the same for the whole visit, so a reconnect or a second match keeps it.
  const guest = `${FALLBACK_NAMES[Math.floor(Math.random() * FALLBACK_NAMES.length)] ?? "Guest"}-${Math.floor(Math.random() * 90 + 10)}`;
  const players = mountPlayersPanel(screen, () => nameInput.value.trim() || guest);

  cards.addEventListener("click", (event) => {
    const button = event.target instanceof HTMLElement ? event.target.closest<HTMLButtonElement>("button[data-quick], button[data-create]") : null;
    const game = button?.dataset["quick"] ?? button?.dataset["create"];
    const quick = button?.dataset["quick"] !== undefined;
    // The catalog may still be on its way when the first click lands.
    void loadCatalog().then((games) => {
      if (!isRegistered(games, game)) return;
      const preset = presetFor(game);
      actions.play(game, quick ? { via: "quick", preset } : { via: "create", private: true, preset });
    });
  });
  byId("join-code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = codeInput.value.trim().toUpperCase();
    // Checked here: a code that cannot be one never costs a request (or a refusal in the console).
    const problem = codeProblem(code);
    if (problem) showError(problem, true);
    else actions.joinCode(code);
  });

  function card(game: CatalogGame): HTMLElement {
    const seats = game.presets.map((preset) => preset.seats);
    const players = Math.min(...seats) === Math.max(...seats) ? `${seats[0]}` : `${Math.min(...seats)}–${Math.max(...seats)}`;
    return h(
      "article",
      { class: "card generic", "data-game": game.name },
      h("h2", {}, game.name),
      h("p", {}, `${game.realtime ? `Realtime (${game.tickHz} ticks/s)` : "Turn-based"}, up to ${players} players${game.teams.length > 1 ? `, teams: ${game.teams.join(", ")}` : ""}. `,
        "No screen of its own yet: the generic page shows your view, a form per action and who is in the room."),
      h(
        "div",
        { class: "actions" },
        h("button", { class: "primary", "data-quick": game.name }, "Quick play"),
        h("button", { "data-create": game.name }, "Create private room"),
        h("a", { class: "play-link", href: `/play/${encodeURIComponent(game.name)}` }, `/play/${game.name}`),
      ),
    );
  }

  function showError(text: string, aboutCode = false): void {
    const line = aboutCode ? codeError : errorLine;
    line.textContent = text;
    line.hidden = false;
    line.scrollIntoView({ block: "nearest" });
  }

  function setBusy(text: string | undefined): void {
    busyLine.textContent = text ?? "";
    busyLine.hidden = text === undefined;
    for (const button of screen.querySelectorAll("button")) button.disabled = text !== undefined;
  }

  return {
    name: () => nameInput.value.trim() || guest,
    setGames(games) {
      catalog = games;
      players.setGames(games.map((game) => game.name));
      for (const game of games) {
        if (!hasOwnScreen(game.name) && !cards.querySelector(`[data-game="${CSS.escape(game.name)}"]`)) cards.append(card(game));
      }
    },
    show() {
      screen.hidden = false;
      setBusy(undefined);
      rooms.start();
      players.refresh();
    },
    hide() {
      screen.hidden = true;
      setBusy(undefined);
      rooms.stop();
    },
    busy(text) {
      errorLine.hidden = true;
      codeError.hidden = true;
      setBusy(text);
    },
    error(error, code) {
      setBusy(undefined);
      showError(joinFailure(error, code), code !== undefined);
    },
  };
}
