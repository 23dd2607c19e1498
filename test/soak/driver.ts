// A room driven for a simulated hour: one shared virtual clock, lean sockets that only count, stats as the inspector sees them.
import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { GameRoom } from "../../src/worker/room/game-room.ts";
import { PING } from "../../src/protocol/messages.ts";
import { TestRoom } from "../kit/room.ts";
import type { Sample } from "./results.ts";
import { CLOCK } from "../../src/worker/room/seams.ts";


/**
 * A socket that keeps nothing but counts: over an hour at 20 Hz a full client (the kit's TestSocket) would
 * hold a million messages and patch sixteen views, which measures the test, not the room.
 */
export class LeanSocket {
  messages = 0;
  token: string | undefined;
  playerId: string | undefined;
  closed: number | undefined;
  /** Simulated second at which `drop()` cut this connection. */
  droppedAt = Number.NaN;
  /** The `reason` of every `result` message received. */
  readonly results: string[] = [];
  #seq = 0;

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      this.messages += 1;
      const text = String(event.data);
      // Only the welcome and a result are worth parsing; patches are counted, not read.
      if (text.startsWith('{"type":"welcome"')) {
        const welcome = JSON.parse(text) as { playerId: string; reconnectToken?: string };
        this.playerId = welcome.playerId;
        this.token = welcome.reconnectToken;
      } else if (text.startsWith('{"type":"result"')) this.results.push((JSON.parse(text) as { reason: string }).reason);
    });
    ws.addEventListener("close", (event) => {
      this.closed = event.code;
    });
    ws.accept();
  }

  static async open(url: string): Promise<LeanSocket> {
    const response = await exports.default.fetch(url, { headers: { Upgrade: "websocket" } });
    if (!response.webSocket) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
    return new LeanSocket(response.webSocket);
  }

  get open(): boolean {
    return this.closed === undefined && this.ws.readyState === WebSocket.OPEN;
  }

  input(dx: number, dy: number): void {
    if (this.open) this.ws.send(JSON.stringify({ type: "action", seq: ++this.#seq, action: "input", payload: { dx, dy } }));
  }

  /** Carry the seq over to the socket that replaces this one after a drop. */
  continueFrom(old: LeanSocket): void {
    this.#seq = old.#seq;
  }

  heartbeat(): void {
    if (this.open) this.ws.send(PING);
  }

  leave(): void {
    if (this.open) this.ws.send(JSON.stringify({ type: "leave" }));
  }

  /** The connection dies without a word (a tab closed, a network gone): the room holds the seat for the grace period. */
  drop(second: number): void {
    this.droppedAt = second;
    if (this.open) this.ws.close(4000, "dropped");
  }
}

/** A room on a virtual clock that only this driver moves; every tick is the room's real alarm. */
export class SoakRoom {
  readonly clock: { now: number };
  readonly startedAt: number;

  private constructor(readonly room: TestRoom, now: number) {
    this.clock = { now };
    this.startedAt = now;
  }

  static async create(game: string, preset = "default"): Promise<SoakRoom> {
    // Flood limits lifted (the kit's default): messages reach the room in bursts, not spread over the virtual second.
    const room = await TestRoom.create(game, { preset });
    const now = await runInDurableObject(room.stub, (instance: GameRoom) => instance[CLOCK]());
    const soak = new SoakRoom(room, now);
    await soak.#install();
    return soak;
  }

  /** Simulated seconds since the room was created. */
  get second(): number {
    return (this.clock.now - this.startedAt) / 1000;
  }

  async join(name: string): Promise<LeanSocket> {
    return LeanSocket.open((await this.room.ticket(name)).url);
  }

  async spectate(name: string): Promise<LeanSocket> {
    return LeanSocket.open((await this.room.ticket(name, "spectate")).url);
  }

  async reconnect(old: LeanSocket): Promise<LeanSocket> {
    const socket = await LeanSocket.open(this.room.reconnectUrl(old.token ?? ""));
    socket.continueFrom(old);
    return socket;
  }

  /** One tick's worth of time, then the alarm the room set: the next tick. */
  async tick(): Promise<void> {
    this.clock.now += this.room.period;
    if (!(await runDurableObjectAlarm(this.room.stub))) throw new Error(`no alarm was scheduled at second ${this.second}`);
  }

  /** Move the clock to the room's next alarm, if it falls before `until`, and run it; false when none does. */
  async nextAlarm(until: number): Promise<boolean> {
    const at = await this.room.alarmAt();
    if (at === null || at > until) return false;
    this.clock.now = Math.max(this.clock.now, at);
    return runDurableObjectAlarm(this.room.stub);
  }

  /** Let the room handle what the sockets sent (messages and closes are delivered as events). */
  settle(): Promise<void> {
    return this.room.settle();
  }

  /** The room's info as the dev inspector gets it: the public route leaves out the record's size, which follows hidden state. */
  info(): ReturnType<TestRoom["info"]> {
    return this.room.info();
  }

  async sample(): Promise<Sample> {
    const info = await this.info();
    const { stats } = info;
    return {
      second: Math.round(this.second),
      tick: info.tick,
      seated: info.players.length,
      phase: info.phase,
      storedRows: stats.storedRows,
      storedBytes: stats.storedBytes,
      recordBytes: stats.recordBytes,
      rowsWritten: stats.rowsWritten,
      alarms: stats.alarms,
      messagesIn: stats.messagesIn,
    };
  }

  // The clock is a closure over this driver's object, so one install serves the whole run (no eviction happens).
  async #install(): Promise<void> {
    const clock = this.clock;
    await runInDurableObject(this.room.stub, (instance: GameRoom) => {
      instance[CLOCK] = () => clock.now;
    });
  }
}

/** Wall-clock bound of one scenario: it stops and fails instead of running on. */
export function wallCap(minutes: number): { readonly elapsed: () => number; readonly check: (what: string) => void } {
  const start = Date.now();
  return {
    elapsed: () => (Date.now() - start) / 1000,
    check(what) {
      if (Date.now() - start > minutes * 60_000) throw new Error(`hard cap of ${minutes} min reached ${what}`);
    },
  };
}

/** Rows in the room's own tables, read straight from SQLite: what is left after the room disposed of itself. */
export async function rowsLeft(soak: SoakRoom): Promise<number> {
  return runInDurableObject(soak.room.stub, (_instance, state) => {
    const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").toArray();
    return tables.reduce((sum, { name }) => sum + state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`).one().n, 0);
  });
}
