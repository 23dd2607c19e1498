// The open-rooms list: polls listRooms for each game while the lobby shows, and renders Join / Watch rows.
import type { GameName } from "../../../src/games/index.ts";
import { type JoinVia, listRooms, type OpenRoom } from "../../sdk/index.ts";
import { type CatalogGame, isRegistered } from "../catalog.ts";
import { h } from "../dom.ts";

const EVERY_MS = 4_000;

export interface RoomList {
  start(): void;
  stop(): void;
}

export function createRoomList(
  container: HTMLElement,
  refreshButton: HTMLButtonElement,
  pick: (game: GameName, via: JoinVia) => void,
  catalog: () => readonly CatalogGame[],
): RoomList {
  let timer: ReturnType<typeof setInterval> | undefined;
  // Rebuilding identical rows every poll would swallow a click that lands mid-update.
  let shown = "";

  async function refresh(): Promise<void> {
    try {
      const games = catalog().map((game) => game.name).filter((name) => isRegistered(catalog(), name));
      const lists = await Promise.all(games.map(async (game) => ({ game, rooms: await listRooms(location.origin, game) })));
      render(lists);
    } catch {
      render(undefined);
    }
  }

  function render(lists: readonly { game: GameName; rooms: readonly OpenRoom[] }[] | undefined): void {
    const key = JSON.stringify(lists ?? null);
    if (key === shown) return;
    shown = key;
    const rows = (lists ?? []).flatMap(({ game, rooms }) => rooms.map((room) => row(game, room)));
    const empty = lists ? "No open rooms right now. Quick play starts one." : "Could not load the rooms; retrying…";
    container.replaceChildren(...(rows.length > 0 ? rows : [h("p", { class: "empty" }, empty)]));
  }

  function row(game: GameName, room: OpenRoom): HTMLElement {
    const join = h("button", { class: "join" }, "Join");
    const watch = h("button", { class: "watch ghost" }, "Watch");
    join.addEventListener("click", () => pick(game, { via: "room", roomId: room.roomId }));
    watch.addEventListener("click", () => pick(game, { via: "spectate", roomId: room.roomId }));
    return h(
      "div",
      { class: `room ${game}`, "data-room": room.roomId, "data-game": game },
      h("span", { class: "room-game" }, game.charAt(0).toUpperCase() + game.slice(1)),
      h("span", { class: "room-id" }, room.roomId),
      h("span", { class: "room-meta" }, `${room.preset} · ${room.players}/${room.capacity} · ${room.phase}`),
      h("span", { class: "room-actions" }, join, watch),
    );
  }

  refreshButton.addEventListener("click", () => void refresh());
  return {
    start() {
      if (timer !== undefined) return;
      void refresh();
      timer = setInterval(() => void refresh(), EVERY_MS);
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
