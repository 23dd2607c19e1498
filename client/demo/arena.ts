// The arena screen: feeds ticks to the interpolator, turns input into `input` / `ping` actions, draws each frame.
import type { ArenaView } from "../../src/games/arena.ts";
import { createInterpolator, type GameSession, type Point } from "../sdk/index.ts";
import { listenArenaInput } from "./arena-input.ts";
import { drawArena, fieldOf } from "./arena-draw.ts";
import { byId, context2d, fitCanvas, h } from "./dom.ts";
import { teamColor, teamName } from "./games.ts";
import { hooks, resetCanvasHooks } from "./hooks.ts";
import type { ScreenContext } from "./screens.ts";

// Within this many world units of the pointer you have arrived: stop rather than jitter around it.
const ARRIVED = 12;
// Directions are rounded to 32 headings so a held pointer sends a new input only when the heading really changes.
const HEADINGS = 32;
// Keeps a steering pointer well under the room's 30 messages a second.
const MIN_SEND_MS = 60;
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

  // Drawn 1.5 ticks in the past: there is then almost always a server update on each side of the drawn moment.
  const tickHz = session.client.welcome?.tickHz || 20;
  const motion = createInterpolator(1500 / tickHz);
  let version = -1;
  let sent = { dx: 0, dy: 0, at: 0 };
  let label = chips.querySelector<HTMLElement>(".active")?.dataset["label"] ?? "";
  const pingSeen = { key: "", at: 0 };
  let frame = 0;
  let shownScores = "";

  const view = (): ArenaView | undefined => session.view?.game ?? undefined;
  const world = () => view()?.world ?? 1000;
  const toWorld = (client: Point): Point => {
    const box = canvas.getBoundingClientRect();
    const { pad, scale } = fieldOf(box.width, world());
    const clamp = (n: number) => Math.min(world(), Math.max(0, n));
    return { x: clamp((client.x - box.left - pad) / scale), y: clamp((client.y - box.top - pad) / scale) };
  };
  hooks.worldPoint = (x, y) => {
    const box = canvas.getBoundingClientRect();
    const { pad, scale } = fieldOf(box.width, world());
    return { x: box.left + pad + x * scale, y: box.top + pad + y * scale };
  };

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
    const me = session.playerId && game ? positions(game)[session.playerId] : undefined;
    const at = client ? toWorld(client) : me;
    if (at) session.send("ping", { x: at.x, y: at.y, label });
  });
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
    motion.push(performance.now(), positions(game));
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

  /** The input to send now: keys win over the pointer; a pointer steers from where you are drawn. */
  function steer(me: Point | undefined): { dx: number; dy: number } {
    const keys = input.keys();
    const target = input.steering();
    const vector = keys ?? (target && me ? subtract(toWorld(target), me) : undefined);
    if (!vector || (!keys && Math.hypot(vector.x, vector.y) < ARRIVED)) return { dx: 0, dy: 0 };
    const heading = Math.round((Math.atan2(vector.y, vector.x) / (2 * Math.PI)) * HEADINGS) * ((2 * Math.PI) / HEADINGS);
    return { dx: round2(Math.cos(heading)), dy: round2(Math.sin(heading)) };
  }

  function draw(now: number): void {
    frame = requestAnimationFrame(draw);
    const game = view();
    if (!game) return;
    const players = motion.sample(now);
    const me = session.playerId ? players[session.playerId] : undefined;
    if (session.role === "player") {
      const next = steer(me);
      if ((next.dx !== sent.dx || next.dy !== sent.dy) && now - sent.at >= MIN_SEND_MS) {
        session.send("input", next);
        sent = { ...next, at: now };
      }
    }
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
    cancelAnimationFrame(frame);
    input.stop();
    chipClicks.abort();
    resetCanvasHooks();
    canvas.style.width = "";
    screen.hidden = true;
  };
}

/** Each shown player's position by id: the view lists who (`players`) and where (`at`) in the same order. */
const positions = (game: ArenaView): Record<string, Point> =>
  Object.fromEntries(game.players.flatMap(({ id }, i) => {
    const at = game.at[i];
    return at ? [[id, { x: at[0], y: at[1] }]] : [];
  }));
const subtract = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y });
const round2 = (n: number): number => Math.round(n * 100) / 100;
