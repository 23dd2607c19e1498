// The generic game page, for any game without a screen of its own: a field for a game with a prediction rule, the player's
// view as a live tree, a form per action generated from its JSON Schema, and the result. The roster and notices are the page's (people.ts).
import type { GameName } from "../../../src/games/index.ts";
import type { GameSession } from "../../sdk/index.ts";
import { createActionForms } from "./action-form.ts";
import { loadCatalog } from "../catalog.ts";
import { byId, h } from "../dom.ts";
import { mountField } from "./generic-field.ts";
import { teamName } from "../games.ts";
import { hooks } from "../hooks.ts";
import { predictionOf } from "./predictions.ts";
import type { ScreenContext } from "../screens.ts";
import { createViewTree } from "./view-tree.ts";

/**
 * The forms send whatever action the catalog names, so `send` cannot be typed per game here; the room checks
 * every payload with the same zod schema the form was generated from.
 */
type UncheckedSend = { send(action: string, payload: unknown): number };

// Polls for acknowledgements while an action waits for one: the session emits on view changes, not on acks.
const ACK_POLL_MS = 200;

export function mountGeneric<N extends GameName>(session: GameSession<N>, { playAgain }: ScreenContext): () => void {
  const screen = byId("generic-screen");
  const formsBox = byId("action-forms");
  const changesLine = byId("view-changes");
  const version = byId("view-version");
  const result = byId("generic-result");
  const listening = new AbortController();
  screen.hidden = false;
  byId("generic-title").textContent = session.game;
  hooks.generic = true;

  const names = (key: string): string | undefined => session.view?.roster[key]?.name;
  const tree = createViewTree(byId("view-tree"), names);
  const client: UncheckedSend = session.client as unknown as UncheckedSend;
  const rules = predictionOf(session.game);
  const unmountField = rules && mountField(session, rules, (input) => client.send(rules.action, input));
  let forms: ReturnType<typeof createActionForms> | undefined;
  let unmounted = false;
  changesLine.textContent = "What each update changes is marked in the tree.";

  loadCatalog().then(
    (catalog) => {
      if (unmounted) return;
      const game = catalog.find((entry) => entry.name === session.game);
      forms = createActionForms(formsBox, game?.actions ?? {}, (action, payload) => client.send(action, payload));
      update();
    },
    (error: unknown) => formsBox.replaceChildren(h("p", { class: "error" }, `No forms: ${error instanceof Error ? error.message : String(error)}`)),
  );
  byId("generic-again").addEventListener("click", playAgain, { signal: listening.signal });
  // The HUD toasts every error too; a refusal of a form's action also stays under that form.
  const stopErrors = session.onError((error) => void forms?.refused(error));

  function update(): void {
    const changes = tree.update(session.view?.game ?? null);
    if (changes.length > 0) {
      const first = changes.slice(0, 4).join(", ");
      changesLine.textContent = `Last update changed ${changes.length === 1 ? "" : `${changes.length} paths: `}${first}${changes.length > 4 ? ", …" : ""}`;
    }
    version.textContent = `version ${session.client.version}`;
    forms?.acknowledged(session.client.lastAcked);
    const over = session.result !== undefined;
    forms?.enable(session.role === "player" && !over, over ? "The match has ended." : "Spectators watch: only seated players act.");
    renderResult();
  }

  function renderResult(): void {
    result.hidden = session.result === undefined;
    if (result.hidden) return;
    const outcome = session.result;
    const winner = typeof outcome === "object" && outcome !== null ? (outcome as Record<string, unknown>)["winner"] : undefined;
    const roster = session.view?.roster ?? {};
    const winnerName = typeof winner === "string" ? (roster[winner]?.name ?? teamName(winner)) : undefined;
    const mine = typeof winner === "string" && (winner === session.playerId || winner === session.team);
    byId("generic-result-title").textContent = winnerName === undefined ? "Match over" : mine ? "You won" : `${winnerName} won`;
    byId("generic-result-detail").textContent = JSON.stringify(outcome);
    byId("generic-again").hidden = session.role !== "player";
  }

  const stop = session.subscribe(update);
  const poll = setInterval(() => forms?.acknowledged(session.client.lastAcked), ACK_POLL_MS);
  update();
  return () => {
    unmounted = true;
    stop();
    stopErrors();
    clearInterval(poll);
    unmountField?.();
    listening.abort();
    hooks.generic = false;
    changesLine.textContent = "";
    screen.hidden = true;
  };
}
