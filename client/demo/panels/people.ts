// Who is in the room, on every game page: each seat's name, team and presence (away counts down to the seat's
// release), and a notice whenever someone joins, drops, comes back or leaves.
import type { Seat } from "../../../src/protocol/messages.ts";
import { roomInfo } from "../../sdk/index.ts";
import { loadCatalog } from "../catalog.ts";
import { byId, h } from "../dom.ts";
import { type DemoSession, teamColor, teamName } from "../games.ts";

type Roster = Readonly<Record<string, Seat>>;
type Shown = "connected" | "away" | "left";

/** A seat's presence as shown; the roster may mark a departed seat "left" or drop it, and both read as left here. */
const presenceOf = (seat: Seat): Shown => {
  const presence: string = seat.presence;
  return presence === "connected" || presence === "away" ? presence : "left";
};

/** Whether a seat is still someone's (connected, or away and held). */
export const isSeated = (seat: Seat): boolean => presenceOf(seat) !== "left";

const NOTICE_MS = 8_000;
const MAX_NOTICES = 4;
// Seats that left (or were removed from the roster) stay listed as "left" for a while; at most this many.
const MAX_GONE = 8;
/** How often the spectator count is asked for. */
const WATCHERS_EVERY_MS = 5_000;

export function mountPeople(session: DemoSession): () => void {
  const list = byId("roster");
  const notices = byId("notices");
  byId("people").hidden = false;
  let seen: Roster | undefined;
  const gone = new Map<string, { name: string; team: string }>();
  let shownKey = "";
  // A game of one team (everyone "players") says nothing by naming it: teams show only when there are several.
  let teams = true;
  void loadCatalog().then(
    (catalog) => {
      teams = (catalog.find((game) => game.name === session.game)?.teams.length ?? 2) > 1;
      shownKey = "";
      if (seen) render(seen);
    },
    () => undefined,
  );
  const teamOf = (team: string): string => (teams && team ? teamName(team) : "");

  function notify(text: string, kind: "join" | "drop" | "back" | "left"): void {
    const item = h("div", { class: `notice ${kind}`, role: "status" }, text);
    notices.prepend(item);
    while (notices.children.length > MAX_NOTICES) notices.lastElementChild?.remove();
    setTimeout(() => item.remove(), NOTICE_MS);
  }

  /** Notices for what changed since the roster last seen; none for the roster a page first receives. */
  function compare(before: Roster, after: Roster): void {
    for (const [id, seat] of Object.entries(after)) {
      if (id === session.playerId) continue;
      const [was, now] = [before[id] ? presenceOf(before[id]) : undefined, presenceOf(seat)];
      if (was === undefined && now !== "left") notify(`${seat.name} joined${teamOf(seat.team) ? ` (${teamOf(seat.team)})` : ""}`, "join");
      else if (was === "connected" && now === "away") notify(`${seat.name} dropped: seat held ${countdown(seat)}`, "drop");
      else if (was === "away" && now === "connected") notify(`${seat.name} is back`, "back");
      else if (was !== undefined && was !== "left" && now === "left") notify(`${seat.name} left`, "left");
    }
    for (const [id, seat] of Object.entries(before)) {
      if (id in after || id === session.playerId) continue;
      if (isSeated(seat)) notify(`${seat.name} left`, "left");
      gone.set(id, { name: seat.name, team: seat.team });
      if (gone.size > MAX_GONE) gone.delete(gone.keys().next().value ?? "");
    }
  }

  function render(roster: Roster): void {
    const rows: (readonly [string, { readonly name: string; readonly team: string; readonly presence: Shown; readonly awayUntil?: number }])[] = [
      ...Object.entries(roster).map(([id, seat]) => [id, { ...seat, presence: presenceOf(seat) }] as const),
      ...[...gone].filter(([id]) => !(id in roster)).map(([id, seat]) => [id, { ...seat, presence: "left" }] as const),
    ];
    const key = JSON.stringify([teams, rows, rows.some(([, seat]) => seat.presence === "away") ? Math.floor(Date.now() / 1000) : 0]);
    if (key === shownKey) return;
    shownKey = key;
    list.replaceChildren(
      ...rows.map(([id, seat]) =>
        h(
          "li",
          { class: `seat ${seat.presence}`, "data-player": id, "data-presence": seat.presence },
          h("span", { class: "swatch", style: `background:${teamColor(seat.team)}` }),
          h("span", { class: "seat-name" }, seat.name, ...(id === session.playerId ? [h("span", { class: "you" }, " (you)")] : [])),
          h(
            "span",
            { class: "seat-info" },
            ...(teamOf(seat.team) ? [h("span", { class: "seat-team" }, teamOf(seat.team))] : []),
            h("span", { class: "presence" }, seat.presence === "away" ? `away · ${countdown(seat)}` : seat.presence),
          ),
        ),
      ),
    );
    if (rows.length === 0) list.replaceChildren(h("li", { class: "seat empty" }, "Nobody is seated yet."));
  }

  function update(): void {
    const roster = session.view?.roster;
    if (!roster) return;
    if (seen && seen !== roster) compare(seen, roster);
    seen = roster;
    render(roster);
  }

  // Spectators are in no view (the room shows nobody who watches), so the room's info is asked every few seconds.
  const watching = byId("watching");
  const countWatchers = (): void => {
    const roomId = session.roomId;
    if (roomId === undefined) return;
    roomInfo(location.origin, roomId).then(
      (info) => {
        watching.hidden = info.spectators === 0;
        watching.textContent = `${info.spectators} watching`;
      },
      () => undefined,
    );
  };

  update();
  countWatchers();
  const stop = session.subscribe(update);
  // Away seats count down every second, between roster changes.
  const clock = setInterval(() => seen && render(seen), 1_000);
  const watchers = setInterval(countWatchers, WATCHERS_EVERY_MS);
  return () => {
    stop();
    clearInterval(clock);
    clearInterval(watchers);
    watching.hidden = true;
    notices.replaceChildren();
    list.replaceChildren();
    byId("people").hidden = true;
  };
}

/** "27 s": how long an away seat is still held. */
const countdown = (seat: { awayUntil?: number }): string => (seat.awayUntil === undefined ? "" : `${Math.max(0, Math.ceil((seat.awayUntil - Date.now()) / 1000))} s`);
