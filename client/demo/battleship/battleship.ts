// The battleship screen: placement buttons, whose turn and its countdown, firing on the target board, the result.
import type { BattleshipView } from "../../../src/games/battleship.ts";
import type { GameSession, Point } from "../../sdk/index.ts";
import { type BoardContent, cellAt, cellCentre, cellName, drawBoards, type Layout, layoutBoards } from "./battleship-draw.ts";
import { byId, context2d, fitCanvas } from "../dom.ts";
import { teamColor, teamName } from "../games.ts";
import { hooks, resetCanvasHooks } from "../hooks.ts";
import { isSeated } from "../panels/people.ts";
import type { ScreenContext } from "../screens.ts";

const TEAMS = ["red", "blue"] as const;
const URGENT_SECONDS = 5;
const BOTTOM_GAP = 12;

export function mountBattleship(session: GameSession<"battleship">, { hud, playAgain }: ScreenContext): () => void {
  const screen = byId("battleship-screen");
  const canvas = byId<HTMLCanvasElement>("battleship-canvas");
  const turn = byId("turn");
  const countdown = byId("countdown");
  const lastShot = byId("last-shot");
  const placing = byId("placing");
  const ready = byId<HTMLButtonElement>("ready");
  const result = byId("result");
  const ctx = context2d(canvas);
  const listening = new AbortController();
  const { signal } = listening;
  screen.hidden = false;

  // Spectators have no side: they see red's board where a player sees their own.
  const mine = session.role === "player" && session.team ? session.team : TEAMS[0];
  const theirs = mine === TEAMS[0] ? TEAMS[1] : TEAMS[0];
  const spectating = session.role !== "player";
  let layout: Layout | undefined;
  let hover: Point | undefined;
  let frame = 0;
  let shuffled = false;

  const view = (): BattleshipView | undefined => session.view?.game ?? undefined;
  /** The name of the player seated on `team`, or undefined while nobody is. */
  const captain = (team: string): string | undefined =>
    Object.values(session.view?.roster ?? {}).find((seat) => seat.team === team && isSeated(seat))?.name;
  const opponent = () => captain(theirs) ?? "Them";
  /** "Ann (Red)" for a spectator's labels: the side and who plays it. */
  const side = (team: string) => (captain(team) ? `${captain(team)} (${teamName(team)})` : teamName(team));

  hooks.cellPoint = (board, x, y) => {
    const box = canvas.getBoundingClientRect();
    const at = layout ? cellCentre(layout.boards[board], x, y) : { x: -1, y: -1 };
    return { x: box.left + at.x, y: box.top + at.y };
  };

  byId("shuffle").addEventListener("click", () => session.send("shuffle", {}), { signal });
  ready.addEventListener("click", () => session.send("ready", {}), { signal });
  byId("again").addEventListener("click", playAgain, { signal });
  const canvasPoint = (event: MouseEvent): Point => {
    const box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };
  canvas.addEventListener("pointermove", (event) => {
    const cell = layout && view() ? cellAt(layout, view()?.size ?? 0, canvasPoint(event)) : undefined;
    hover = cell?.board === "target" ? cell : undefined;
  }, { signal });
  canvas.addEventListener("pointerleave", () => (hover = undefined), { signal });
  canvas.addEventListener("click", (event) => {
    const game = view();
    const cell = layout && game ? cellAt(layout, game.size, canvasPoint(event)) : undefined;
    if (!game || cell?.board !== "target" || spectating) return;
    if (game.phase === "placing") return hud.toast("Place your fleet and press Ready first");
    // Out of turn or already tried: the room says so, and its refusal shows as a toast.
    session.send("fire", { x: cell.x, y: cell.y });
  }, { signal });

  function changed(): void {
    const game = view();
    if (!game) return;
    // Start with a fleet on the board: a player should see ships, not an empty grid and a chore.
    if (!spectating && game.phase === "placing" && !game.fleet && !shuffled) {
      shuffled = true;
      session.send("shuffle", {});
    }
    const isReady = game.ready[mine] === true;
    placing.hidden = spectating || game.phase !== "placing" || isReady;
    ready.disabled = !game.fleet;
    turn.textContent = turnText(game);
    turn.dataset["mine"] = String(!spectating && game.turn === mine);
    lastShot.textContent = game.lastShot
      ? `${spectating ? side(game.lastShot.by) : game.lastShot.by === mine ? "You" : opponent()} fired at ${cellName(game.lastShot.x, game.lastShot.y)}: ${game.lastShot.result}${game.lastShot.result === "hit" ? "!" : ""}${game.lastShot.auto ? " (out of time)" : ""}`
      : "";
    renderResult(game);
    tickCountdown();
  }

  function turnText(game: BattleshipView): string {
    if (game.phase === "over") return resultTitle(game);
    if (game.phase === "placing") {
      if (spectating) return "Fleets are being placed";
      if (!captain(theirs)) return "Waiting for an opponent…";
      return game.ready[mine] ? `Waiting for ${opponent()} to get ready…` : `Against ${opponent()}: place your fleet, then Ready`;
    }
    if (spectating) return `${side(game.turn ?? "")} to fire`;
    return game.turn === mine ? `Your turn: fire at ${opponent()}'s waters` : `${opponent()}'s turn`;
  }

  function resultTitle(game: BattleshipView): string {
    const winner = game.winner ?? (session.result as { winner?: string } | undefined)?.winner ?? "";
    if (spectating) return `${side(winner)} wins`;
    return winner === mine ? `Victory! You beat ${opponent()}` : `Defeat: ${opponent()} won`;
  }

  function renderResult(game: BattleshipView): void {
    result.hidden = game.phase !== "over";
    if (result.hidden) return;
    const won = game.winner === mine;
    result.dataset["outcome"] = spectating ? "watch" : won ? "won" : "lost";
    byId("result-title").textContent = resultTitle(game);
    const loser = game.winner === TEAMS[0] ? TEAMS[1] : TEAMS[0];
    const shots = Object.keys(game.shots[loser] ?? {}).length;
    byId("result-detail").textContent = spectating
      ? `${side(game.winner ?? "")} sank every ship in ${shots} shots.`
      : `${won ? `You sank ${opponent()}'s whole fleet` : `${opponent()} sank your whole fleet`} in ${shots} shots.`;
    byId("again").hidden = spectating;
  }

  function tickCountdown(): void {
    const endsAt = view()?.turnEndsAt;
    if (!endsAt || view()?.phase !== "firing") {
      countdown.textContent = "";
      return;
    }
    const seconds = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
    countdown.textContent = `${seconds}s`;
    countdown.dataset["urgent"] = String(seconds <= URGENT_SECONDS);
  }

  function content(game: BattleshipView, team: string, own: boolean): BoardContent {
    const last = game.lastShot && game.lastShot.by !== team ? { x: game.lastShot.x, y: game.lastShot.y } : undefined;
    const canFire = !spectating && game.phase === "firing" && game.turn === mine;
    return {
      title: spectating ? `${side(team)}: fleet` : own ? "Your fleet" : `${opponent()}'s waters`,
      color: teamColor(team),
      ships: own && !spectating ? (game.fleet ?? []) : (game.revealed[team] ?? []),
      solidShips: own && !spectating,
      shots: game.shots[team] ?? {},
      lastShot: last,
      hover: !own && canFire ? hover : undefined,
      active: spectating ? game.turn !== team && game.phase === "firing" : own ? game.phase === "placing" : canFire,
    };
  }

  function draw(now: number): void {
    frame = requestAnimationFrame(draw);
    const game = view();
    if (!game) return;
    const width = canvas.parentElement?.clientWidth ?? canvas.clientWidth;
    const free = innerHeight - (canvas.getBoundingClientRect().top + scrollY) - BOTTOM_GAP;
    layout = layoutBoards(width, game.size, game.phase === "placing" && !spectating ? "own" : "target", free);
    canvas.style.height = `${layout.height}px`;
    const { dpr } = fitCanvas(canvas);
    drawBoards(ctx, width, dpr, layout, game.size, { own: content(game, mine, true), target: content(game, theirs, false) }, now);
  }

  changed();
  const stop = session.subscribe(changed);
  const clock = setInterval(tickCountdown, 250);
  frame = requestAnimationFrame(draw);
  return () => {
    stop();
    clearInterval(clock);
    cancelAnimationFrame(frame);
    listening.abort();
    resetCanvasHooks();
    screen.hidden = true;
  };
}
