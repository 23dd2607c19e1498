// The lobby screen: the player's name, quick play and private rooms per game, join by code, open rooms.
import { type JoinVia, RequestError } from "../sdk/index.ts";
import { byId } from "./dom.ts";
import { type DemoGame, isDemoGame, presetFor } from "./games.ts";
import { createRoomList } from "./room-list.ts";
import { loadName, saveName } from "./storage.ts";

export interface LobbyActions {
  play(game: DemoGame, via: JoinVia): void;
  joinCode(code: string): void;
}

export interface Lobby {
  /** The name to join with: what the player typed, or a made-up one. */
  name(): string;
  show(): void;
  hide(): void;
  /** Disables the buttons and says what is going on, while a join is under way. */
  busy(text: string): void;
  error(error: unknown): void;
}

const FALLBACK_NAMES = ["Otter", "Falcon", "Comet", "Pike", "Moth", "Lynx", "Heron", "Orca"];

export function createLobby(actions: LobbyActions): Lobby {
  const screen = byId("lobby-screen");
  const nameInput = byId<HTMLInputElement>("name");
  const busyLine = byId("lobby-busy");
  const errorLine = byId("lobby-error");
  const codeInput = byId<HTMLInputElement>("join-code");
  const buttons = [...screen.querySelectorAll("button")];
  const rooms = createRoomList(byId("rooms"), byId<HTMLButtonElement>("rooms-refresh"), actions.play);

  nameInput.value = loadName();
  nameInput.addEventListener("input", () => saveName(nameInput.value.trim()));
  // A guest name stays the same for the whole visit, so a reconnect or a second match keeps it.
  const guest = `${FALLBACK_NAMES[Math.floor(Math.random() * FALLBACK_NAMES.length)] ?? "Guest"}-${Math.floor(Math.random() * 90 + 10)}`;

  for (const button of screen.querySelectorAll<HTMLButtonElement>("[data-quick]")) {
    const game = button.dataset["quick"];
    if (isDemoGame(game)) button.addEventListener("click", () => actions.play(game, { via: "quick", preset: presetFor(game) }));
  }
  for (const button of screen.querySelectorAll<HTMLButtonElement>("[data-create]")) {
    const game = button.dataset["create"];
    if (isDemoGame(game)) button.addEventListener("click", () => actions.play(game, { via: "create", private: true, preset: presetFor(game) }));
  }
  byId("join-code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = codeInput.value.trim().toUpperCase();
    if (code) actions.joinCode(code);
    else showError("Type the 6-character code your friend shared.");
  });

  function showError(text: string): void {
    errorLine.textContent = text;
    errorLine.hidden = false;
  }

  function setBusy(text: string | undefined): void {
    busyLine.textContent = text ?? "";
    busyLine.hidden = text === undefined;
    for (const button of buttons) button.disabled = text !== undefined;
  }

  return {
    name: () => nameInput.value.trim() || guest,
    show() {
      screen.hidden = false;
      setBusy(undefined);
      rooms.start();
    },
    hide() {
      screen.hidden = true;
      setBusy(undefined);
      rooms.stop();
    },
    busy(text) {
      errorLine.hidden = true;
      setBusy(text);
    },
    error(error) {
      setBusy(undefined);
      showError(error instanceof RequestError ? `${error.body.message} (${error.body.code})` : error instanceof Error ? error.message : String(error));
    },
  };
}
