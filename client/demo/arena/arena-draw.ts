// Draws one arena frame: the field, orbs, players and names, the team's ping, and fog around the team.
import type { RoomView } from "../../../src/engine/updates/views.ts";
import type { Orb, Ping } from "../../../src/games/arena.ts";
import type { Point } from "../../sdk/index.ts";
import { teamColor } from "../games.ts";

export interface ArenaScene {
  readonly world: number;
  /** Null: no fog (the preset has none, or a spectator is watching). */
  readonly fogRadius: number | null;
  readonly orbs: Readonly<Record<string, Orb>>;
  /** Where each visible player is drawn this frame (interpolated). */
  readonly players: Readonly<Record<string, Point>>;
  readonly roster: RoomView["roster"];
  readonly me: string | undefined;
  readonly team: string | undefined;
  readonly ping: Ping | null;
  /** Milliseconds since this ping first showed, for its pulse. */
  readonly pingAge: number;
}

const PLAYER_RADIUS = 16;
const ORB_RADIUS = 9;
const PULSE_MS = 1_200;
// Fog is drawn on its own layer so overlapping sight circles merge instead of cancelling out.
const fogLayer = document.createElement("canvas");

/** Where the world sits on a canvas of `size` CSS pixels: inset by a player's radius, so a player at the edge is drawn whole. */
export interface Field {
  readonly pad: number;
  readonly scale: number;
  /** A player's radius in CSS pixels. */
  readonly radius: number;
}

export function fieldOf(size: number, world: number): Field {
  const radius = Math.max(6, (PLAYER_RADIUS * size) / world);
  // The radius plus your own white ring around it.
  const pad = radius + 4;
  return { pad, scale: Math.max(0, size - pad * 2) / world, radius };
}

/** Viewport CSS pixels to world points on a canvas drawn with `fieldOf` (clamped to the world), and back. */
export function fieldPoints(canvas: HTMLCanvasElement, world: () => number): { toWorld(client: Point): Point; toClient(at: Point): Point } {
  const frame = () => {
    const box = canvas.getBoundingClientRect();
    return { box, ...fieldOf(box.width, world()) };
  };
  return {
    toWorld(client) {
      const { box, pad, scale } = frame();
      const clamp = (n: number) => Math.min(world(), Math.max(0, n));
      return { x: clamp((client.x - box.left - pad) / scale), y: clamp((client.y - box.top - pad) / scale) };
    },
    toClient(at) {
      const { box, pad, scale } = frame();
      return { x: box.left + pad + at.x * scale, y: box.top + pad + at.y * scale };
    },
  };
}

export function drawArena(ctx: CanvasRenderingContext2D, size: number, dpr: number, scene: ArenaScene): void {
  const field = fieldOf(size, scene.world);
  const { scale, pad, radius } = field;
  const at = (p: Point): [number, number] => [pad + p.x * scale, pad + p.y * scale];
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawField(ctx, size, scene.world, field);

  const glow = Math.max(3, ORB_RADIUS * scale);
  for (const orb of Object.values(scene.orbs)) {
    const [x, y] = at(orb);
    ctx.fillStyle = "rgba(255, 209, 102, 0.14)";
    disc(ctx, x, y, glow * 2.2);
    ctx.fillStyle = "#ffd166";
    disc(ctx, x, y, glow);
  }

  const fontSize = Math.max(10, Math.round(radius * 0.9));
  ctx.font = `600 ${fontSize}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  // Others first, so your own dot is never hidden under someone else's.
  const order = Object.keys(scene.players).sort((a, b) => Number(a === scene.me) - Number(b === scene.me));
  for (const id of order) {
    const point = scene.players[id];
    const seat = scene.roster[id];
    if (!point) continue;
    const [x, y] = at(point);
    ctx.globalAlpha = seat?.presence === "away" ? 0.4 : 1;
    ctx.fillStyle = teamColor(seat?.team);
    disc(ctx, x, y, radius);
    if (id === scene.me) {
      ctx.lineWidth = 3;
      ctx.strokeStyle = "#ffffff";
      ring(ctx, x, y, radius + 2);
    }
    ctx.fillStyle = "rgba(230, 234, 245, 0.9)";
    // Above the dot; below it for a player at the top edge, so the name is never cut off or drawn over the dot.
    const above = y - radius - 4;
    const labelY = above - fontSize >= 0 ? above : y + radius + 4 + fontSize;
    ctx.fillText(id === scene.me ? "you" : (seat?.name ?? "?"), Math.min(size - 24, Math.max(24, x)), labelY);
    ctx.globalAlpha = 1;
  }

  if (scene.fogRadius !== null && scene.team) drawFog(ctx, size, dpr, scene.fogRadius * scale, teammates(scene).map(at));
  if (scene.ping) drawPing(ctx, size, at(scene.ping), scene.ping, scene.roster[scene.ping.by]?.name, scene.pingAge, teamColor(scene.team));
}

function drawField(ctx: CanvasRenderingContext2D, size: number, world: number, { pad, scale }: Field): void {
  ctx.fillStyle = "#10152a";
  ctx.fillRect(0, 0, size, size);
  const side = world * scale;
  ctx.fillStyle = "#141a2e";
  ctx.fillRect(pad, pad, side, side);
  ctx.strokeStyle = "rgba(255, 255, 255, 0.05)";
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let at = 100; at < world; at += 100) {
    const p = Math.round(pad + at * scale) + 0.5;
    ctx.moveTo(p, pad);
    ctx.lineTo(p, pad + side);
    ctx.moveTo(pad, p);
    ctx.lineTo(pad + side, p);
  }
  ctx.stroke();
  // The world's edge: players stop here.
  ctx.strokeStyle = "rgba(255, 255, 255, 0.12)";
  ctx.strokeRect(pad - 0.5, pad - 0.5, side + 1, side + 1);
}

const teammates = (scene: ArenaScene): Point[] =>
  Object.entries(scene.players).flatMap(([id, point]) => (scene.roster[id]?.team === scene.team ? [point] : []));

function drawFog(ctx: CanvasRenderingContext2D, size: number, dpr: number, radius: number, sights: readonly [number, number][]): void {
  const pixels = Math.round(size * dpr);
  if (fogLayer.width !== pixels) {
    fogLayer.width = pixels;
    fogLayer.height = pixels;
  }
  const fog = fogLayer.getContext("2d");
  if (!fog) return;
  fog.setTransform(1, 0, 0, 1, 0, 0);
  fog.clearRect(0, 0, pixels, pixels);
  fog.globalCompositeOperation = "source-over";
  fog.setTransform(dpr, 0, 0, dpr, 0, 0);
  fog.fillStyle = "rgba(4, 6, 14, 0.62)";
  fog.fillRect(0, 0, size, size);
  fog.globalCompositeOperation = "destination-out";
  for (const [x, y] of sights) {
    const edge = fog.createRadialGradient(x, y, radius * 0.8, x, y, radius);
    edge.addColorStop(0, "rgba(0, 0, 0, 1)");
    edge.addColorStop(1, "rgba(0, 0, 0, 0)");
    fog.fillStyle = edge;
    disc(fog, x, y, radius);
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(fogLayer, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
}

function drawPing(ctx: CanvasRenderingContext2D, size: number, [x, y]: [number, number], ping: Ping, by: string | undefined, age: number, color: string): void {
  for (const offset of [0, PULSE_MS / 2]) {
    const phase = ((age + offset) % PULSE_MS) / PULSE_MS;
    ctx.globalAlpha = 1 - phase;
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = color;
    ring(ctx, x, y, 6 + phase * 34);
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(x, y - 7);
  ctx.lineTo(x + 6, y);
  ctx.lineTo(x, y + 7);
  ctx.lineTo(x - 6, y);
  ctx.fill();
  const text = `${ping.label || "Ping"}${by ? ` · ${by}` : ""}`;
  ctx.font = "700 13px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  const width = ctx.measureText(text).width + 12;
  // Below the marker, where no name is ever drawn (names sit above their players), and kept on the canvas.
  const left = Math.min(size - width - 2, Math.max(2, x - width / 2));
  const top = y + 14 + 20 <= size - 2 ? y + 14 : y - 34;
  ctx.fillStyle = "rgba(8, 11, 22, 0.8)";
  ctx.beginPath();
  ctx.roundRect(left, top, width, 20, 6);
  ctx.fill();
  ctx.fillStyle = "#ffffff";
  ctx.fillText(text, left + width / 2, top + 17);
}

function disc(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fill();
}

function ring(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.stroke();
}
