// The room list: every room each game's matchmaker knows, refreshed every few seconds, plus opening any room by id.
import type { InspectedRooms } from "../../src/protocol/inspection.ts";

const REFRESH_MS = 3000;

export interface RoomList {
  /** Mark the room being inspected. */
  select(roomId: string | undefined): void;
  refresh(): Promise<void>;
}

export function roomList(root: HTMLElement, open: (roomId: string) => void): RoomList {
  let selected: string | undefined;
  let last: InspectedRooms | undefined;
  let error: string | undefined;

  root.addEventListener("click", (event) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>("[data-room]");
    if (row?.dataset["room"]) open(row.dataset["room"]);
  });

  const render = (): void => {
    if (!last) {
      root.innerHTML = `<p class="muted">${error ?? "Loading rooms…"}</p>`;
      return;
    }
    root.innerHTML = last.games
      .map(({ game, rooms }) => {
        const rows = rooms.length
          ? rooms
              .map(
                (room) => `<button class="room-row${room.roomId === selected ? " selected" : ""}" data-room="${room.roomId}" data-game="${game}">
                  <code>${room.roomId}</code>
                  <span class="phase" data-phase="${room.phase}">${room.phase}</span>
                  <span class="muted">${room.seated}/${room.capacity} · ${room.preset}</span>
                </button>`,
              )
              .join("")
          : `<p class="muted none">no public rooms</p>`;
        return `<section class="game-group"><h3 data-game="${game}">${game}<span class="count">${rooms.length}</span></h3>${rows}</section>`;
      })
      .join("");
  };

  const refresh = async (): Promise<void> => {
    try {
      const response = await fetch("/api/inspect/rooms");
      if (!response.ok) throw new Error(`${response.status}`);
      last = (await response.json()) as InspectedRooms;
      error = undefined;
    } catch (cause) {
      error = `Could not list rooms (${String(cause)})`;
    }
    render();
  };

  setInterval(() => void refresh(), REFRESH_MS);
  void refresh();
  return {
    select(roomId) {
      selected = roomId;
      render();
    },
    refresh,
  };
}
