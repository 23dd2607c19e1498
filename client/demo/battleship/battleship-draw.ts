// Lays out the two battleship boards on one canvas, draws them, and maps between cells and canvas points.
import type { Ship, Shot } from "../../../src/games/battleship.ts";
import type { Point } from "../../sdk/index.ts";
import type { BoardName } from "../hooks.ts";

export interface Board {
  /** Top-left of the grid, in canvas CSS pixels. */
  readonly x: number;
  readonly y: number;
  readonly cell: number;
  /** Room left of and above the grid for the coordinates. */
  readonly gutter: number;
}

export interface Layout {
  readonly boards: Readonly<Record<BoardName, Board>>;
  readonly height: number;
}

export interface BoardContent {
  readonly title: string;
  readonly color: string;
  readonly ships: readonly Ship[];
  /** Ships drawn solid (your own fleet) or as outlines (enemy ships found by sinking them). */
  readonly solidShips: boolean;
  readonly shots: Readonly<Record<string, Shot>>;
  readonly lastShot: Point | undefined;
  readonly hover: Point | undefined;
  /** The board the player should look at right now: framed brighter. */
  readonly active: boolean;
}

const TITLE = 26;
const GAP = 22;
const MAX_BOARD = 420;
// Keeps the stacked boards' frames off the screen edge.
const EDGE = 4;
// Side by side once each board gets at least this many pixels per cell; stacked (phones) below that.
const MIN_SIDE_CELL = 30;

const gutterOf = (width: number) => Math.max(14, Math.min(22, width * 0.05));

/**
 * Side by side when both fit; otherwise stacked, the board that matters now (`primary`) full size on top.
 * `maxHeight` (the viewport's free height) keeps side-by-side boards from running past a short screen's bottom.
 */
export function layoutBoards(width: number, size: number, primary: BoardName, maxHeight = Infinity): Layout {
  const half = Math.min(MAX_BOARD, (width - GAP) / 2, Math.max(MIN_SIDE_CELL * size, maxHeight - TITLE));
  if ((half - gutterOf(half)) / size >= MIN_SIDE_CELL) {
    const left = (width - (half * 2 + GAP)) / 2;
    const gutter = gutterOf(half);
    const board = (x: number): Board => ({ x: x + gutter, y: TITLE + gutter, cell: (half - gutter) / size, gutter });
    return { boards: { own: board(left), target: board(left + half + GAP) }, height: TITLE + half };
  }
  const big = Math.min(MAX_BOARD, width - EDGE * 2);
  const small = big * 0.62;
  const place = (outer: number, top: number): Board => {
    const gutter = gutterOf(outer);
    return { x: (width - outer) / 2 + gutter, y: top + TITLE + gutter, cell: (outer - gutter) / size, gutter };
  };
  const first = place(big, 0);
  const second = place(small, TITLE + big + GAP);
  const boards = primary === "own" ? { own: first, target: second } : { own: second, target: first };
  return { boards, height: TITLE * 2 + big + small + GAP };
}

export function cellAt(layout: Layout, size: number, point: Point): { board: BoardName; x: number; y: number } | undefined {
  for (const name of ["own", "target"] as const) {
    const board = layout.boards[name];
    const x = Math.floor((point.x - board.x) / board.cell);
    const y = Math.floor((point.y - board.y) / board.cell);
    if (x >= 0 && y >= 0 && x < size && y < size) return { board: name, x, y };
  }
  return undefined;
}

export const cellCentre = (board: Board, x: number, y: number): Point => ({ x: board.x + (x + 0.5) * board.cell, y: board.y + (y + 0.5) * board.cell });

export const cellName = (x: number, y: number): string => `${String.fromCharCode(65 + x)}${y + 1}`;

export function drawBoards(ctx: CanvasRenderingContext2D, width: number, dpr: number, layout: Layout, size: number, contents: Readonly<Record<BoardName, BoardContent>>, now: number): void {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, layout.height);
  for (const name of ["own", "target"] as const) drawBoard(ctx, layout.boards[name], size, contents[name], now);
}

function drawBoard(ctx: CanvasRenderingContext2D, board: Board, size: number, content: BoardContent, now: number): void {
  const { x, y, cell, gutter } = board;
  const side = cell * size;

  ctx.fillStyle = content.active ? "#e6e9f2" : "#8a93ad";
  ctx.font = "700 14px system-ui, sans-serif";
  ctx.textAlign = "left";
  ctx.textBaseline = "alphabetic";
  ctx.fillText(content.title, x, y - gutter - 8);
  ctx.fillStyle = content.color;
  ctx.fillRect(x, y - gutter - 4, 24, 3);

  ctx.fillStyle = "#8a93ad";
  ctx.font = `600 ${Math.max(10, Math.min(13, cell * 0.32))}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (let i = 0; i < size; i++) {
    ctx.fillText(String.fromCharCode(65 + i), x + (i + 0.5) * cell, y - gutter / 2);
    ctx.fillText(String(i + 1), x - gutter / 2, y + (i + 0.5) * cell);
  }

  const sea = ctx.createLinearGradient(x, y, x + side, y + side);
  sea.addColorStop(0, "#13284a");
  sea.addColorStop(1, "#0d1b33");
  ctx.fillStyle = sea;
  ctx.beginPath();
  ctx.roundRect(x, y, side, side, 6);
  ctx.fill();
  ctx.strokeStyle = "rgba(120, 170, 255, 0.14)";
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let i = 1; i < size; i++) {
    const at = Math.round(i * cell) + 0.5;
    ctx.moveTo(x + at, y);
    ctx.lineTo(x + at, y + side);
    ctx.moveTo(x, y + at);
    ctx.lineTo(x + side, y + at);
  }
  ctx.stroke();
  ctx.strokeStyle = content.active ? content.color : "rgba(120, 170, 255, 0.3)";
  ctx.lineWidth = content.active ? 2 : 1;
  ctx.beginPath();
  ctx.roundRect(x, y, side, side, 6);
  ctx.stroke();

  if (content.hover) {
    ctx.fillStyle = "rgba(255, 255, 255, 0.12)";
    ctx.fillRect(x + content.hover.x * cell, y + content.hover.y * cell, cell, cell);
  }

  for (const ship of content.ships) {
    const pad = cell * 0.14;
    const w = (ship.vertical ? 1 : ship.length) * cell - pad * 2;
    const h = (ship.vertical ? ship.length : 1) * cell - pad * 2;
    ctx.beginPath();
    ctx.roundRect(x + ship.x * cell + pad, y + ship.y * cell + pad, w, h, cell * 0.35);
    if (content.solidShips) {
      ctx.fillStyle = "#7d8aa8";
      ctx.fill();
    } else {
      ctx.fillStyle = "rgba(255, 93, 108, 0.16)";
      ctx.fill();
      ctx.strokeStyle = "#ff8a95";
      ctx.lineWidth = 2;
      ctx.stroke();
    }
  }

  for (const [key, shot] of Object.entries(content.shots)) {
    const [sx = 0, sy = 0] = key.split(",").map(Number);
    const cx = x + (sx + 0.5) * cell;
    const cy = y + (sy + 0.5) * cell;
    if (shot === "hit") {
      ctx.fillStyle = "#ff5d3a";
      ctx.beginPath();
      ctx.arc(cx, cy, cell * 0.28, 0, Math.PI * 2);
      ctx.fill();
      ctx.strokeStyle = "#ffe1c4";
      ctx.lineWidth = Math.max(2, cell * 0.06);
      const r = cell * 0.14;
      ctx.beginPath();
      ctx.moveTo(cx - r, cy - r);
      ctx.lineTo(cx + r, cy + r);
      ctx.moveTo(cx + r, cy - r);
      ctx.lineTo(cx - r, cy + r);
      ctx.stroke();
    } else {
      ctx.fillStyle = "rgba(200, 220, 255, 0.55)";
      ctx.beginPath();
      ctx.arc(cx, cy, Math.max(2.5, cell * 0.09), 0, Math.PI * 2);
      ctx.fill();
    }
  }

  if (content.lastShot) {
    // A slow pulse draws the eye to where the last shot landed.
    ctx.globalAlpha = 0.55 + 0.45 * Math.sin(now / 220);
    ctx.strokeStyle = "#ffd166";
    ctx.lineWidth = 2.5;
    ctx.strokeRect(x + content.lastShot.x * cell + 2, y + content.lastShot.y * cell + 2, cell - 4, cell - 4);
    ctx.globalAlpha = 1;
  }
}
