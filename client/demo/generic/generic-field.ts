// The generic page's field, for a game with a prediction rule: every located player drawn, you predicted and the others interpolated, steered by keys or a held pointer.
import { createNetcode, type GameSession } from "../../sdk/index.ts";
import type { GameName } from "../../../src/games/index.ts";
import { drawArena, fieldPoints } from "../arena/arena-draw.ts";
import { listenArenaInput, steerEachFrame } from "../arena/arena-input.ts";
import { mountNetcodePanel } from "../arena/arena-netcode.ts";
import { byId, context2d, fitCanvas } from "../dom.ts";
import { hooks, resetCanvasHooks } from "../hooks.ts";
import type { SteerablePrediction } from "./predictions.ts";

/** `send` sends the game's steering action (the room checks its payload against the game's schema). */
export function mountField(session: GameSession<GameName>, rules: SteerablePrediction, send: (input: unknown) => number): () => void {
  const panel = byId("field-panel");
  const canvas = byId<HTMLCanvasElement>("field-canvas");
  const ctx = context2d(canvas);
  panel.hidden = false;

  const netcode = createNetcode(session, rules, { send });
  const figures = mountNetcodePanel(netcode, "field");
  const game = () => session.view?.game ?? undefined;
  const world = () => {
    const view = game();
    return view === undefined ? 1 : rules.world(view);
  };
  const { toWorld, toClient } = fieldPoints(canvas, world);
  hooks.worldPoint = (x, y) => toClient({ x, y });
  const input = listenArenaInput(canvas);
  // The game's own input for the direction, with how far behind your screen shows the others (tag's `lag`).
  const steer = steerEachFrame(input, toWorld, (direction) => netcode.send(rules.steer(direction, netcode.viewLagTicks())));
  let frame = 0;

  function draw(now: number): void {
    frame = requestAnimationFrame(draw);
    const view = game();
    if (view === undefined) return;
    const me = session.playerId;
    if (session.role === "player" && session.result === undefined) steer(me ? netcode.frame(now)[me] : undefined, now);
    // Taken after steering, so a key pressed for this frame is drawn on it.
    const players = netcode.frame(performance.now());
    figures.drew(players);
    const { width, dpr } = fitCanvas(canvas);
    drawArena(ctx, width, dpr, { world: rules.world(view), fogRadius: null, orbs: {}, players, roster: session.view?.roster ?? {}, me, team: session.team, ping: null, pingAge: 0 });
  }

  frame = requestAnimationFrame(draw);
  return () => {
    cancelAnimationFrame(frame);
    input.stop();
    figures.stop();
    netcode.stop();
    resetCanvasHooks();
    panel.hidden = true;
  };
}
