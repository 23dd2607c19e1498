// The open-rooms list: polls listRooms for each game while the lobby shows, and renders Join / Watch rows.
import { type JoinVia, listRooms, type OpenRoom } from "../sdk/index.ts";
import { h } from "./dom.ts";
import type { DemoGame } from "./games.ts";

const GAMES: readonly DemoGame[] = ["arena", "battleship"];
const EVERY_MS = 4_000;

export interface RoomList {
  start(): void;
  stop(): void;
}

export function createRoomList(container: HTMLElement, refreshButton: HTMLButtonElement, pick: (game: DemoGame, via: JoinVia) => void): RoomList {
  let timer: ReturnType<typeof setInterval> | undefined;
  // Rebuilding identical rows every poll would swallow a click that lands mid-update.
  let shown = "";

  async function refresh(): Promise<void> {
    try {
      const lists = await Promise.all(GAMES.map(async (game) => ({ game, rooms: await listRooms(location.origin, game) })));
      render(lists);
    } catch {
      render(undefined);
    }
  }

  function render(lists: readonly { game: DemoGame; rooms: readonly OpenRoom[] }[] | undefined): void {
    const key = JSON.stringify(lists ?? null);
    if (key === shown) return;
    shown = key;
    const rows = (lists ?? []).flatMap(({ game, rooms }) => rooms.map((room) => row(game, room)));
    const empty = lists ? "No open rooms right now. Quick play starts one." : "Could not load the rooms; retrying…";
    container.replaceChildren(...(rows.length > 0 ? rows : [h("p", { class: "empty" }, empty)]));
  }

  function row(game: DemoGame, room: OpenRoom): HTMLElement {
    const join = h("button", { class: "join" }, "Join");
    const watch = h("button", { class: "watch ghost" }, "Watch");
    join.addEventListener("click", () => pick(game, { via: "room", roomId: room.roomId }));
    watch.addEventListener("click", () => pick(game, { via: "spectate", roomId: room.roomId }));
    return h(
      "div",
      { class: `room ${game}`, "data-room": room.roomId, "data-game": game },
      h("span", { class: "room-game" }, game === "arena" ? "Arena" : "Battleship"),
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
