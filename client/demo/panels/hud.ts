// The bar above a game: who you are, connection state and latency, the private code to share, Leave, toasts.
import type { ErrorBody } from "../../../src/protocol/errors.ts";
import { finalCloseCodes } from "../../sdk/index.ts";
import { loadCatalog } from "../catalog.ts";
import { byId, h } from "../dom.ts";
import { type DemoSession, teamColor, teamName } from "../games.ts";

export interface Hud {
  toast(text: string): void;
  unmount(): void;
}

const TOAST_MS = 2_600;

/** "not_your_turn" → "Not your turn": the game's reason reads better than the generic "refused". */
const describe = (error: ErrorBody): string => {
  const text = error.code === "rejected" && error.detail ? error.detail.replaceAll("_", " ") : error.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
};

export function mountHud(session: DemoSession, leave: () => void): Hud {
  const screen = byId("game-screen");
  const status = byId("status");
  const latency = byId("latency");
  const share = byId("share");
  const banner = byId("banner");
  const bannerLeave = byId("banner-leave");
  const toastBox = byId("toast");
  const listening = new AbortController();
  const { signal } = listening;
  let toastTimer: ReturnType<typeof setTimeout> | undefined;

  screen.hidden = false;
  screen.dataset["role"] = session.role ?? "player";
  byId("leave").addEventListener("click", leave, { signal });
  bannerLeave.addEventListener("click", leave, { signal });

  const me = byId("me");
  const name = session.playerId ? session.view?.roster[session.playerId]?.name : undefined;
  const showMe = (withTeam: boolean) =>
    me.replaceChildren(
      session.role === "spectator"
        ? h("span", { class: "watching" }, "Spectating")
        : h("span", { class: "swatch", style: `background:${teamColor(session.team)}` }),
      session.role === "spectator" ? "" : `${name ?? "You"}${withTeam ? ` · ${teamName(session.team ?? "")}` : ""}`,
    );
  showMe(true);
  // A game of one team says nothing by naming it.
  void loadCatalog().then((games) => !signal.aborted && (games.find((game) => game.name === session.game)?.teams.length ?? 2) < 2 && showMe(false), () => undefined);

  const code = session.code;
  share.hidden = code === undefined;
  // Big while you wait alone for a friend; one line once someone else is seated, or as soon as you put it away.
  let shareTucked = false;
  byId("share-hide").addEventListener("click", () => ((shareTucked = true), update()), { signal });
  if (code !== undefined) {
    byId("code").textContent = code;
    const link = `${location.origin}/?code=${code}`;
    byId("copy-code").addEventListener("click", () => copy(code, "Code copied"), { signal });
    byId("copy-link").addEventListener("click", () => copy(link, "Invite link copied"), { signal });
  }

  function copy(text: string, done: string): void {
    navigator.clipboard.writeText(text).then(
      () => toast(done),
      () => toast("Copy blocked by the browser: select the code instead"),
    );
  }

  function toast(text: string): void {
    toastBox.textContent = text;
    toastBox.classList.add("show");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => toastBox.classList.remove("show"), TOAST_MS);
  }

  function update(): void {
    status.dataset["status"] = session.status;
    status.textContent = session.status === "connecting" || session.status === "reconnecting" ? `${session.status}…` : session.status;
    const ms = session.latencyMs;
    latency.textContent = ms === undefined ? "— ms" : `${ms} ms`;
    latency.dataset["quality"] = ms === undefined ? "" : ms < 80 ? "good" : ms < 200 ? "fair" : "poor";

    const seated = Object.keys(session.view?.roster ?? {}).length;
    const waiting = seated < 2 && !shareTucked;
    share.classList.toggle("waiting", waiting);
    byId("share-hide").hidden = !waiting;
    byId("share-hint").textContent = waiting ? "Waiting for a friend to join…" : "";

    banner.hidden = session.status === "open" || session.status === "connecting";
    bannerLeave.hidden = session.status !== "closed";
    banner.dataset["status"] = session.status;
    const closed = session.closed;
    byId("banner-text").textContent =
      session.status === "reconnecting"
        ? "Connection lost. Reconnecting…"
        : `Disconnected: ${closed ? (finalCloseCodes[closed.code] ?? (closed.reason || `code ${closed.code}`)) : "connection closed"}`;
  }

  update();
  const stopUpdates = session.subscribe(update);
  const stopErrors = session.onError((error) => toast(describe(error)));
  return {
    toast,
    unmount() {
      stopUpdates();
      stopErrors();
      listening.abort();
      clearTimeout(toastTimer);
      toastBox.classList.remove("show");
      screen.hidden = true;
    },
  };
}
