// Drive a real GameRoom in workerd: create it, seat players through the Worker, advance ticks by alarm.
import { env, exports } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { Server } from "../../client/sdk/join.ts";
import type { Game } from "../../src/engine/define-game.ts";
import type { ErrorBody } from "../../src/protocol/errors.ts";
import type { MatchRecord } from "../../src/engine/match.ts";
import { viewFor, type AudienceKey } from "../../src/engine/updates/views.ts";
import { gameNamed } from "../../src/games/index.ts";
import type { GameRoom } from "../../src/worker/room/game-room.ts";
import type { RoomInfo } from "../../src/protocol/api.ts";
import { randomId } from "../../src/worker/http.ts";
import { afterEach } from "vitest";
import { roomSettings, settings } from "../../src/worker/settings.ts";
import { LEAVE, TestSocket } from "./socket.ts";
import { CLOCK, FLOOD_LIMITS, TICK_TIMER } from "../../src/worker/room/seams.ts";

const BASE = "http://room.test";

export interface Joined {
  readonly playerId: string;
  readonly team: string;
  readonly socket: TestSocket;
}

/**
 * A room under test with its own virtual clock: time moves only when the test says so, and only the alarms the test
 * fires tick (the room's in-memory tick timer is off). `realTime: true` leaves the room as deployed: its own clock,
 * its tick timer and its flood limits, and nothing touches a new instance before the runtime does.
 */
export class TestRoom {
  readonly id: string;
  readonly game: Game;
  readonly stub: DurableObjectStub<GameRoom>;
  // An hour ahead of real time, so the alarms the room schedules never fire by themselves: only tick() fires them.
  #now = Date.now() + 3_600_000;

  readonly #rateLimited: boolean;
  readonly #realTime: boolean;

  private constructor(id: string, game: Game, rateLimited: boolean, realTime: boolean) {
    this.id = id;
    this.game = game;
    this.#rateLimited = rateLimited;
    this.#realTime = realTime;
    this.stub = env.ROOMS.getByName(id);
  }

  /** Create a room directly on its Durable Object, with a fixed seed so the run is repeatable. */
  /**
   * Tests send far more messages per virtual second than any client would, so by default the room's
   * flood limits are lifted; `rateLimited: true` keeps the real ones.
   */
  static async create(gameName: string, options: { preset?: string; seed?: number; listed?: boolean; rateLimited?: boolean; realTime?: boolean } = {}): Promise<TestRoom> {
    const game = gameNamed(gameName);
    if (!game) throw new Error(`unknown game ${gameName}`);
    const room = new TestRoom(randomId(12), game, options.rateLimited ?? false, options.realTime ?? false);
    // The clock first, so the room's creation time is on it too.
    await room.#installClock();
    const created = await room.stub.create({ roomId: room.id, game: gameName, preset: options.preset ?? "default", seed: options.seed ?? 42, listed: options.listed ?? false });
    if ("type" in created) throw new Error(created.message);
    return room;
  }

  /** An arena room whose only player played `ticks` ticks and dropped: nobody is connected, the seat is held. */
  static async withDroppedPlayer(ticks = 3): Promise<{ room: TestRoom; ann: Joined }> {
    const room = await TestRoom.create("arena");
    const ann = await room.join("ann");
    await room.tick(ticks);
    ann.socket.client.close();
    await room.settle();
    return { room, ann };
  }

  /** The Worker as the SDK's `server` option: `joinGame(game, { server: room.server, connect: connectInWorkerd, ... })`. */
  get server(): Server {
    return { base: BASE, fetch: (input, init) => exports.default.fetch(input, init) };
  }

  get period(): number {
    return 1000 / this.game.tickHz;
  }

  async post(path: string, body: unknown): Promise<Response> {
    return exports.default.fetch(`${BASE}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  /** Reserve a seat (or a spectator's place) through the HTTP route and return the ticket's socket URL. */
  async ticket(name: string, role: "join" | "spectate" = "join"): Promise<{ playerId: string; team: string; url: string }> {
    const response = await this.post(`/api/rooms/${this.id}/${role}`, { name });
    const body = (await response.json()) as { playerId: string; team: string; ticket: string } | ErrorBody;
    if ("type" in body) throw new Error(`join refused: ${body.code}`);
    return { ...body, url: `${BASE}/rooms/${this.id}/ws?ticket=${encodeURIComponent(body.ticket)}` };
  }

  async join(name: string, role: "join" | "spectate" = "join"): Promise<Joined> {
    const { playerId, team, url } = await this.ticket(name, role);
    return { playerId, team, socket: await TestSocket.open(url) };
  }

  /** The socket URL that reconnects with a token, resuming from the version the client holds. */
  reconnectUrl(token: string, version?: number): string {
    return `${BASE}/rooms/${this.id}/ws?reconnect=${token}${version === undefined ? "" : `&version=${version}`}`;
  }

  /** Advance the virtual clock by `count` periods, firing the alarm after each. */
  async tick(count = 1): Promise<void> {
    for (let i = 0; i < count; i++) {
      this.#now += this.period;
      await this.#installClock();
      const ran = await runDurableObjectAlarm(this.stub);
      if (!ran) throw new Error("no alarm was scheduled");
    }
  }

  /** Jump the clock `periods` ahead and fire one alarm: a late alarm. */
  async skip(periods: number): Promise<void> {
    this.#now += periods * this.period;
    await this.#installClock();
    await runDurableObjectAlarm(this.stub);
  }

  /** Set the clock to `time` (if it is ahead) and fire the alarm: a timer coming due. */
  async skipTo(time: number): Promise<void> {
    this.#now = Math.max(this.#now, time);
    await this.#installClock();
    await runDurableObjectAlarm(this.stub);
  }

  /** Every player leaves, and the clock moves on to when the empty match ends as abandoned. */
  async abandon(players: readonly Joined[]): Promise<MatchRecord> {
    for (const p of players) if (p.socket.closed === undefined) p.socket.send(LEAVE);
    for (const p of players) await p.socket.closing().catch(() => undefined);
    await this.settle();
    const { vacantSince } = await this.record();
    if (vacantSince === undefined) throw new Error("someone is still connected");
    await this.skipTo(vacantSince + roomSettings(env, this.game).abandonAfterMs);
    return this.record();
  }

  async alarmAt(): Promise<number | null> {
    return runInDurableObject(this.stub, (_room, state) => state.storage.getAlarm());
  }

  /** The room's info with the record's size, which only the inspector and tests are given. */
  async info(): Promise<RoomInfo & { stats: { recordBytes: number } }> {
    const info = await this.stub.info(true);
    if ("type" in info) throw new Error(info.message);
    return info as RoomInfo & { stats: { recordBytes: number } };
  }

  /** Let the room finish handling what was sent to it (closes, messages) before looking at it. */
  async settle(): Promise<void> {
    await runInDurableObject(this.stub, () => undefined);
  }

  async record(): Promise<MatchRecord> {
    // RPC typing cannot see through `unknown` state, so the result is typed here.
    const inspected = (await this.stub.inspect()) as { record: MatchRecord } | ErrorBody;
    if ("type" in inspected) throw new Error(inspected.message);
    return inspected.record;
  }

  /** The server's view for an audience right now. */
  async view(audience: AudienceKey): Promise<unknown> {
    return viewFor(this.game, await this.record(), audience);
  }

  /** Tear the instance down as the runtime would; storage, alarms and hibernated sockets stay. */
  async evict(options?: { webSockets: "close" | "hibernate" }): Promise<void> {
    await evictDurableObject(this.stub, options);
    await this.#installClock();
  }

  async alarmScheduled(): Promise<boolean> {
    return runInDurableObject(this.stub, async (_room, state) => (await state.storage.getAlarm()) !== null);
  }

  // The clock, timer and limits are instance fields, so they must be installed again on every new instance.
  async #installClock(): Promise<void> {
    if (this.#realTime) return;
    const now = this.#now;
    const lifted = !this.#rateLimited;
    await runInDurableObject(this.stub, (room: GameRoom) => {
      room[TICK_TIMER] = false;
      room[CLOCK] = () => now;
      if (lifted) room[FLOOD_LIMITS] = { messagesPerSecond: 1e9, messageBurst: 1e9, abusePenalty: 1e9, resyncIntervalMs: 0 };
    });
  }
}

/** Lets a describe's tests change the record budget (`settings.maxRecordBytes`); it is put back after each test. */
export function recordBudget(): (bytes: number) => void {
  const budget = settings.maxRecordBytes;
  const setBudget = (bytes: number): void => void ((settings as { maxRecordBytes: number }).maxRecordBytes = bytes);
  afterEach(() => setBudget(budget));
  return setBudget;
}
