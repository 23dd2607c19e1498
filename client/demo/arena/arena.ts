// The arena screen: turns input into `input` / `ping` actions and draws each frame through the SDK's netcode.
import type { ArenaView } from "../../../src/games/arena.ts";
import { arenaPrediction } from "../../../src/games/arena-predict.ts";
import { createNetcode, type GameSession } from "../../sdk/index.ts";
import { listenArenaInput, steerEachFrame } from "./arena-input.ts";
import { mountNetcodePanel } from "./arena-netcode.ts";
import { drawArena, fieldPoints } from "./arena-draw.ts";
import { byId, context2d, fitCanvas, h } from "../dom.ts";
import { teamColor, teamName } from "../games.ts";
import { hooks, resetCanvasHooks } from "../hooks.ts";
import type { ScreenContext } from "../screens.ts";

// The canvas never shrinks below this side, and keeps this much room under it in the viewport.
const MIN_SIDE = 160;
const BOTTOM_GAP = 12;
// The layout that puts the controls beside the canvas (style.css, a phone on its side).
const sideBySide = matchMedia("(orientation: landscape) and (max-height: 520px)");
const SIDE_COLUMN = 190;

export function mountArena(session: GameSession<"arena">, { hud }: ScreenContext): () => void {
  const screen = byId("arena-screen");
  const canvas = byId<HTMLCanvasElement>("arena-canvas");
  const scores = byId("scores");
  const chips = byId("ping-labels");
  const ctx = context2d(canvas);
  screen.hidden = false;

  // Your own dot predicted from the arena's own movement rule; everyone else interpolated on the server's tick timeline.
  const netcode = createNetcode(session, arenaPrediction, { send: (input) => session.send("input", input) });
  const panel = mountNetcodePanel(netcode, "arena");
  let version = -1;
  let label = chips.querySelector<HTMLElement>(".active")?.dataset["label"] ?? "";
  const pingSeen = { key: "", at: 0 };
  let frame = 0;
  let shownScores = "";

  const view = (): ArenaView | undefined => session.view?.game ?? undefined;
  const { toWorld, toClient } = fieldPoints(canvas, () => view()?.world ?? 1000);
  hooks.worldPoint = (x, y) => toClient({ x, y });

  /** The canvas takes the viewport's free height (and the width it may have), so the whole field and its controls show without scrolling. */
  function fitStage(): void {
    const box = canvas.getBoundingClientRect();
    const top = box.top + scrollY;
    const beside = sideBySide.matches;
    // On a portrait screen the ping bar and help sit under the canvas; beside it, nothing does.
    const below = beside ? 0 : screen.getBoundingClientRect().bottom - box.bottom;
    const width = beside ? screen.clientWidth - SIDE_COLUMN : screen.clientWidth;
    const side = Math.floor(Math.max(MIN_SIDE, Math.min(width, innerHeight - top - below - BOTTOM_GAP)));
    if (Math.abs(side - box.width) >= 1) canvas.style.width = `${side}px`;
  }

  const input = listenArenaInput(canvas, (client) => {
    if (session.role !== "player") return hud.toast("Spectators cannot ping");
    const game = view();
    const me = session.playerId && game ? arenaPrediction.locate(game, session.playerId) : undefined;
    const at = client ? toWorld(client) : me;
    if (at) session.send("ping", { x: at.x, y: at.y, label });
  });
  const steer = steerEachFrame(input, toWorld, (direction) => netcode.send(direction));
  const chipClicks = new AbortController();
  chips.addEventListener("click", (event) => {
    const chip = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>("[data-label]") : null;
    if (!chip) return;
    label = chip.dataset["label"] ?? "";
    for (const other of chips.querySelectorAll(".chip")) other.classList.toggle("active", other === chip);
  }, { signal: chipClicks.signal });

  function changed(): void {
    const game = view();
    if (!game || session.client.version === version) return;
    version = session.client.version;
    renderScores(game);
  }

  function renderScores(game: ArenaView): void {
    const mine = game.players.find((p) => p.id === session.playerId)?.score;
    // Ticks arrive 20 times a second; the scores change a few times a minute.
    const key = JSON.stringify([game.scores, mine]);
    if (key === shownScores) return;
    shownScores = key;
    scores.replaceChildren(
      ...Object.entries(game.scores).map(([team, score]) =>
        h("span", { class: `score${team === session.team ? " mine" : ""}`, style: `--team:${teamColor(team)}` }, `${teamName(team)} `, h("b", {}, String(score))),
      ),
      ...(mine === undefined ? [] : [h("span", { class: "score own" }, "You ", h("b", {}, String(mine)))]),
    );
  }

  function draw(now: number): void {
    frame = requestAnimationFrame(draw);
    const game = view();
    if (!game) return;
    if (session.role === "player") steer(session.playerId ? netcode.frame(now)[session.playerId] : undefined, now);
    const players = netcode.frame(performance.now());
    panel.drew(players);
    const pingKey = game.ping ? `${game.ping.x},${game.ping.y},${game.ping.until}` : "";
    if (pingKey !== pingSeen.key) Object.assign(pingSeen, { key: pingKey, at: now });
    fitStage();
    const { width, dpr } = fitCanvas(canvas);
    drawArena(ctx, width, dpr, {
      world: game.world,
      fogRadius: session.role === "player" ? game.fogRadius : null,
      orbs: game.orbs,
      players,
      roster: session.view?.roster ?? {},
      me: session.playerId,
      team: session.team,
      ping: game.ping,
      pingAge: now - pingSeen.at,
    });
  }

  changed();
  const stop = session.subscribe(changed);
  frame = requestAnimationFrame(draw);
  return () => {
    stop();
    netcode.stop();
    panel.stop();
    cancelAnimationFrame(frame);
    input.stop();
    chipClicks.abort();
    resetCanvasHooks();
    canvas.style.width = "";
    screen.hidden = true;
  };
}
