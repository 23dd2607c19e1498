// The lobby's player panel: who the server takes you for (guest or signed in), your recent matches, and a leaderboard.
import { leaderboard, matchHistory, whoAmI, type PlayedMatch } from "../../sdk/index.ts";
import { h } from "../dom.ts";

/** Matches and standings shown: a glance, not a page of its own. */
const SHOWN = 5;

export interface PlayersPanel {
  /** Ask again (the lobby shows again after a match, which may have changed both lists). */
  refresh(): void;
  /** The games the leaderboard can show, once the catalog is in. */
  setGames(games: readonly string[]): void;
}

const outcomeText = { win: "won", loss: "lost", draw: "drew", none: "played" } as const;

function matchRow(match: PlayedMatch, me: string): HTMLElement {
  const others = match.players.filter((p) => p.userId !== me).map((p) => p.name);
  const when = new Date(match.endedAt).toLocaleString();
  return h("li", { "data-room": match.roomId }, `${outcomeText[match.outcome]} ${match.game}${others.length > 0 ? ` against ${others.join(", ")}` : ""} · ${when}`);
}

/** Appends the panel to `parent`; `name` is the name the lobby would join with. */
export function mountPlayersPanel(parent: HTMLElement, name: () => string): PlayersPanel {
  const who = h("p", { id: "who" }, "…");
  const matches = h("ol", { id: "my-matches" });
  const game = h("select", { id: "board-game", "aria-label": "Leaderboard game" });
  const board = h("ol", { id: "leaderboard" });
  parent.append(
    h(
      "section",
      { class: "open-rooms players-panel" },
      h("header", {}, h("h2", {}, "You")),
      who,
      h("h3", {}, "Your recent matches"),
      matches,
      h("header", {}, h("h3", {}, "Leaderboard"), game),
      board,
    ),
  );
  let selected = "tic-tac-toe";
  game.addEventListener("change", () => {
    selected = game.value;
    void showBoard();
  });

  async function showBoard(): Promise<void> {
    try {
      const page = await leaderboard(location.origin, selected, { limit: SHOWN });
      board.replaceChildren(
        ...(page.standings.length === 0
          ? [h("li", { class: "empty" }, "No finished matches yet.")]
          : page.standings.map((s) => h("li", {}, `${s.name}: ${s.wins} won, ${s.losses} lost, ${s.draws} drawn`))),
      );
    } catch {
      board.replaceChildren(h("li", { class: "empty" }, "The leaderboard is unavailable."));
    }
  }

  async function refresh(): Promise<void> {
    try {
      // A first visit mints a guest here; the SDK keeps its token, so every room and reload is the same player.
      const me = await whoAmI(location.origin, name());
      who.textContent = me.verified ? `Signed in as ${me.name}.` : `Playing as a guest (${me.userId.slice(0, 8)}…), shown as the name above.`;
      const page = await matchHistory(location.origin, me.userId, { limit: SHOWN });
      matches.replaceChildren(...(page.matches.length === 0 ? [h("li", { class: "empty" }, "None yet: play one!")] : page.matches.map((m) => matchRow(m, me.userId))));
    } catch {
      who.textContent = "Could not reach the server to say who you are.";
    }
    await showBoard();
  }

  return {
    refresh: () => void refresh(),
    setGames(games) {
      game.replaceChildren(...games.map((g) => h("option", { value: g, ...(g === selected ? { selected: "" } : {}) }, g)));
    },
  };
}
