// Battleship on a real `wrangler dev`: two socket bots play a match with a timed-out turn, and a deadline survives SIGKILL.
import { describe, expect, it } from "vitest";
import { RoomClient } from "../../client/sdk/room-client.ts";
import type { battleship, BattleshipView } from "../../src/games/battleship.ts";
import { createRoom, join, sleep, spectate, type Seat } from "./kit/dev-server.ts";
import { serverSuite } from "./kit/suites.ts";

type Client = RoomClient<typeof battleship>;

/** Connect; `check` runs after every message that changed the view. */
async function connect(url: string, check: (client: Client) => void = () => {}): Promise<Client> {
  const client: Client = new RoomClient(url, { onChange: () => check(client) });
  await until(() => client.view !== undefined);
  return client;
}

/** Every enemy ship the view shows must be sunk (all its cells hit) until the match is over. */
function assertNoHiddenShip(client: Client, enemy: string): number {
  const view = game(client);
  if (!view || view.phase === "over") return 0;
  const shots = view.shots[enemy] ?? {};
  for (const ship of view.revealed[enemy] ?? []) {
    const cells = Array.from({ length: ship.length }, (_, i) => (ship.vertical ? `${ship.x},${ship.y + i}` : `${ship.x + i},${ship.y}`));
    if (!cells.every((cell) => shots[cell] === "hit")) throw new Error(`unsunk ${enemy} ship revealed: ${JSON.stringify(ship)}`);
  }
  return 1;
}

async function until(done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(20);
  }
}

const game = (client: Client) => client.view?.game as BattleshipView;

describe("battleship on wrangler dev", () => {
  const suite = serverSuite();

  it("plays a full match between two bots, one turn decided by the deadline, and red never receives an unsunk blue ship", async () => {
    const url = suite.server.url;
    const roomId = await createRoom(url, "battleship", "blitz");
    const seats: Seat[] = [await join(url, roomId, "rosa"), await join(url, roomId, "bert")];
    let checked = 0;
    const leaks: unknown[] = [];
    const check = (client: Client) => {
      try {
        checked += assertNoHiddenShip(client, "blue");
      } catch (error) {
        leaks.push(error);
      }
    };
    const [red, blue] = [await connect(seats[0]?.wsUrl ?? "", check), await connect(seats[1]?.wsUrl ?? "")] as [Client, Client];
    for (const client of [red, blue]) {
      client.send("shuffle", {});
      client.send("ready", {});
    }
    await until(() => game(red)?.phase === "firing");
    let waited = false;
    for (let shots = 0; shots < 80 && game(red).phase === "firing"; shots++) {
      const view = game(red);
      const shooter = view.turn === "red" ? red : blue;
      const enemy = view.turn === "red" ? "blue" : "red";
      const before = view.lastShot;
      if (shots === 2) {
        waited = true; // let the 3 s timer run out: the room fires for this team
      } else {
        const tried = game(shooter).shots[enemy] ?? {};
        const cell = [...Array(36).keys()].find((i) => !tried[`${i % 6},${Math.floor(i / 6)}`]) ?? 0;
        shooter.send("fire", { x: cell % 6, y: Math.floor(cell / 6) });
      }
      await until(() => game(red).lastShot !== before && game(blue).lastShot !== before, 10_000);
      if (shots === 2) expect(game(red).lastShot).toMatchObject({ auto: true });
    }
    expect(waited).toBe(true);
    await until(() => red.result !== undefined && blue.result !== undefined);
    expect(leaks).toEqual([]);
    expect(checked).toBeGreaterThan(10);
    // At the end every ship is revealed.
    expect(game(red).revealed.blue?.length).toBe(3);
    red.close();
    blue.close();
  });

  it("fires a turn deadline that comes due across a SIGKILL and restart of wrangler dev", async () => {
    const url = suite.server.url;
    const roomId = await createRoom(url, "battleship", "blitz");
    const [red, blue] = [await connect((await join(url, roomId, "rosa")).wsUrl), await connect((await join(url, roomId, "bert")).wsUrl)];
    for (const client of [red, blue]) {
      client.send("shuffle", {});
      client.send("ready", {});
    }
    await until(() => game(red)?.phase === "firing");
    const { turnEndsAt } = game(red);
    const servers = suite.server;
    servers.current.kill("SIGKILL");
    const restarted = await servers.restart();
    // Nobody reconnects: only the persisted alarm can make the shot.
    await sleep(Math.max(0, (turnEndsAt ?? 0) - Date.now()) + 1500);
    const watcher = await connect((await spectate(restarted.url, roomId)).wsUrl);
    expect(game(watcher).lastShot).toMatchObject({ by: "red", auto: true });
    expect(game(watcher).turn).toBe("blue");
    expect(restarted.log()).not.toContain("Uncaught");
    watcher.close();
  });
});
