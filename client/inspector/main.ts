// The dev inspector page: the room list, the room being inspected (from ?room=), and a hook for tests (`window.inspector`).
import { Inspection } from "./connection.ts";
import { roomPanel } from "./render.ts";
import { roomList } from "./rooms.ts";

const ROOM_ID = /^[a-km-np-z2-9]{12}$/;
const RENDER_EVERY_MS = 200;

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

let current: Inspection | undefined;
const panel = roomPanel(byId("room"));
const list = roomList(byId("rooms"), (roomId) => open(roomId));
const form = byId<HTMLFormElement>("open-form");
const input = byId<HTMLInputElement>("room-id");
const formError = byId("open-error");

// Sockets deliver up to 20 updates a second per audience; the page redraws at most five times a second.
let scheduled = false;
function redraw(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    panel.render(current);
  }, RENDER_EVERY_MS);
}

function open(roomId: string): void {
  current?.close();
  current = new Inspection(roomId, redraw);
  list.select(roomId);
  input.value = roomId;
  const url = new URL(location.href);
  url.searchParams.set("room", roomId);
  history.replaceState(null, "", url);
  panel.render(current);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const roomId = input.value.trim().toLowerCase();
  formError.hidden = ROOM_ID.test(roomId);
  if (ROOM_ID.test(roomId)) open(roomId);
  else formError.textContent = "Room ids are 12 characters of a-z and 2-9, without l and o.";
});

// Rates and "next alarm in" move with time even when no message arrives.
setInterval(redraw, 1000);

const initial = new URL(location.href).searchParams.get("room");
if (initial && ROOM_ID.test(initial)) open(initial);
else panel.render(undefined);

/** Plain data for tests and the console. */
Object.defineProperty(globalThis, "inspector", {
  get: () => {
    const mirror = current?.mirror;
    return {
      roomId: current?.roomId,
      status: current?.status,
      game: mirror?.report?.game,
      reportVersion: mirror?.report?.record.version,
      allMatch: mirror?.allMatch ?? false,
      audiences: [...(mirror?.audiences.values() ?? [])].map((a) => ({
        key: a.key,
        version: a.version,
        serverVersion: a.serverVersion,
        equal: a.differs !== undefined && a.differs.length === 0,
        messages: a.messages,
        bytes: a.bytes,
      })),
      serverAudiences: Object.keys(mirror?.report?.views ?? {}),
    };
  },
});
