// Minimal arena page: joins (or creates) a room from the URL, draws the team's view, sends input.
import type { arena } from "../../src/games/arena.ts";
import { joinRoom, quickPlay } from "../sdk/join.ts";
import { RoomClient } from "../sdk/room-client.ts";

const canvas = document.querySelector<HTMLCanvasElement>("#arena") as HTMLCanvasElement;
const draw = canvas.getContext("2d") as CanvasRenderingContext2D;
const text = (id: string, value: string) => ((document.getElementById(id) as HTMLElement).textContent = value);
const colors: Record<string, string> = { red: "#ff6b6b", blue: "#5ea8ff" };

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const name = params.get("name") ?? "guest";
  const room = params.get("room");
  const seat = room ? await joinRoom(location.origin, room, name) : await quickPlay(location.origin, "arena", name);
  const roomId = seat.roomId;
  history.replaceState(null, "", `?room=${roomId}`);
  const client = new RoomClient<typeof arena>(seat.url, { onChange: () => render() });
  text("who", `you: ${seat.playerId} (${seat.team})`);
  text("room", `room ${roomId}`);

  function render(): void {
    const view = client.view?.game;
    if (!view) return;
    const scale = canvas.width / 1000;
    draw.clearRect(0, 0, canvas.width, canvas.height);
    draw.fillStyle = "#ffd166";
    for (const orb of Object.values(view.orbs)) dot(orb.x * scale, orb.y * scale, 6);
    if (view.ping) {
      draw.strokeStyle = colors[seat.team] ?? "#fff";
      draw.beginPath();
      draw.arc(view.ping.x * scale, view.ping.y * scale, 18, 0, Math.PI * 2);
      draw.stroke();
    }
    for (const p of Object.values(view.players)) {
      draw.fillStyle = colors[p.team] ?? "#fff";
      dot(p.x * scale, p.y * scale, p.id === seat.playerId ? 14 : 10);
    }
    text("scores", `red ${view.scores.red ?? 0} · blue ${view.scores.blue ?? 0}`);
  }

  const held = new Set<string>();
  const keys: Record<string, [number, number]> = {
    ArrowLeft: [-1, 0], a: [-1, 0], ArrowRight: [1, 0], d: [1, 0], ArrowUp: [0, -1], w: [0, -1], ArrowDown: [0, 1], s: [0, 1],
  };
  const steer = () => {
    let dx = 0;
    let dy = 0;
    for (const key of held) {
      dx += keys[key]?.[0] ?? 0;
      dy += keys[key]?.[1] ?? 0;
    }
    client.send("input", { dx: Math.max(-1, Math.min(1, dx)), dy: Math.max(-1, Math.min(1, dy)) });
  };
  addEventListener("keydown", (e) => {
    if (!(e.key in keys) || held.has(e.key)) return;
    held.add(e.key);
    steer();
  });
  addEventListener("keyup", (e) => {
    if (held.delete(e.key)) steer();
  });
  canvas.addEventListener("pointerdown", (e) => {
    const box = canvas.getBoundingClientRect();
    client.send("ping", { x: ((e.clientX - box.left) / box.width) * 1000, y: ((e.clientY - box.top) / box.height) * 1000 });
  });
}

function dot(x: number, y: number, r: number): void {
  draw.beginPath();
  draw.arc(x, y, r, 0, Math.PI * 2);
  draw.fill();
}

start().catch((error: unknown) => text("who", `could not join: ${String(error)}`));
