// Party Durable Object, one per party code: its members and leader, and the seats quick play found for all of them together.
import { DurableObject } from "cloudflare:workers";
import type { RoomSummary } from "../../protocol/api.ts";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { randomId } from "../http.ts";
import { settings } from "../settings.ts";
import type { PlacedSeat } from "./matchmaker.ts";
import type { Seeker } from "./skill.ts";

interface Member extends Seeker {
  readonly memberId: string;
  readonly token: string;
}

interface Placement {
  readonly roomId: string;
  readonly at: number;
  readonly summary: RoomSummary;
  /** Each member's seat, by member id. */
  readonly seats: Readonly<Record<string, PlacedSeat>>;
}

interface Stored {
  readonly game: string;
  readonly preset: string;
  readonly leader: string;
  readonly members: readonly Member[];
  readonly expiresAt: number;
  /** Set while the leader's quick play is under way: a second one would place the party twice. */
  readonly queuedAt?: number;
  readonly placement?: Placement;
}

export type Joined = { memberId: string; token: string; game: string; preset: string } | ErrorBody;

/** What a member is shown; `placement` only while its seats can still be taken. */
export type PartyLook = { game: string; preset: string; status: "open" | "queued" | "placed"; members: { memberId: string; name: string; leader: boolean }[]; seat?: { roomId: string; seat: PlacedSeat; summary: RoomSummary } } | ErrorBody;

/** A queue the Worker never finished (it failed mid-way) stops blocking the party after this long. */
const QUEUE_TIMEOUT_MS = 30_000;

export class Party extends DurableObject<Env> {
  #party: Stored | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.#party = await ctx.storage.get<Stored>("party");
    });
  }

  /** Start the party with its leader; `exists` when the code is taken (the Worker draws another). */
  async create(game: string, preset: string, leader: Seeker): Promise<Joined | { exists: true }> {
    if (this.#live()) return { exists: true };
    const member = newMember(leader);
    const expiresAt = Date.now() + 1000 * settings.matchmaking.partyTtlSeconds;
    await this.#save({ game, preset, leader: member.memberId, members: [member], expiresAt });
    // The one alarm clears the party when its code stops working, so parties never pile up.
    await this.ctx.storage.setAlarm(expiresAt);
    return { memberId: member.memberId, token: member.token, game, preset };
  }

  async join(seeker: Seeker): Promise<Joined> {
    const party = this.#live();
    if (!party) return errorBody("party_not_found");
    if (party.members.length >= settings.matchmaking.maxPartySize) return errorBody("party_full");
    if (this.#queued(party)) return errorBody("party_busy");
    const member = newMember(seeker);
    await this.#save({ ...party, members: [...party.members, member] });
    return { memberId: member.memberId, token: member.token, game: party.game, preset: party.preset };
  }

  /** The leader starts a quick play for everyone: the members as seekers, or why not. Nobody joins or queues meanwhile. */
  async begin(token: string): Promise<{ game: string; preset: string; seekers: Seeker[] } | ErrorBody> {
    const party = this.#live();
    if (!party) return errorBody("party_not_found");
    const member = party.members.find((m) => m.token === token);
    if (!member) return errorBody("not_party_member");
    if (member.memberId !== party.leader) return errorBody("not_party_leader");
    if (this.#queued(party)) return errorBody("party_busy");
    await this.#save({ ...party, queuedAt: Date.now() });
    const seekers = party.members.map(({ userId, name, rating }) => ({ userId, name, ...(rating === undefined ? {} : { rating }) }));
    return { game: party.game, preset: party.preset, seekers };
  }

  /** The quick play's outcome: seats in member order (all in one room), or nothing when it failed. */
  async placed(outcome: { roomId: string; seats: PlacedSeat[]; summary: RoomSummary } | null): Promise<void> {
    const party = this.#live();
    if (!party) return;
    const { queuedAt: _done, placement: _old, ...rest } = party;
    if (outcome === null) return this.#save(rest);
    const seats = Object.fromEntries(party.members.flatMap((m, i) => (outcome.seats[i] ? [[m.memberId, outcome.seats[i]]] : [])));
    await this.#save({ ...rest, placement: { roomId: outcome.roomId, at: Date.now(), summary: outcome.summary, seats } });
  }

  /** The party as `token`'s member sees it, with that member's seat while the placement is fresh. */
  look(token: string, ttlMs: number): PartyLook {
    const party = this.#live();
    if (!party) return errorBody("party_not_found");
    const member = party.members.find((m) => m.token === token);
    if (!member) return errorBody("not_party_member");
    const members = party.members.map((m) => ({ memberId: m.memberId, name: m.name, leader: m.memberId === party.leader }));
    const placement = party.placement && party.placement.at + ttlMs > Date.now() ? party.placement : undefined;
    const seat = placement?.seats[member.memberId];
    const status = this.#queued(party) ? "queued" : placement ? "placed" : "open";
    return { game: party.game, preset: party.preset, status, members, ...(placement && seat ? { seat: { roomId: placement.roomId, seat, summary: placement.summary } } : {}) };
  }

  override async alarm(): Promise<void> {
    if (this.#party && this.#party.expiresAt > Date.now()) return void (await this.ctx.storage.setAlarm(this.#party.expiresAt));
    this.#party = undefined;
    await this.ctx.storage.deleteAll();
  }

  #live(): Stored | undefined {
    return this.#party && this.#party.expiresAt > Date.now() ? this.#party : undefined;
  }

  #queued(party: Stored): boolean {
    return party.queuedAt !== undefined && party.queuedAt + QUEUE_TIMEOUT_MS > Date.now();
  }

  async #save(party: Stored): Promise<void> {
    this.#party = party;
    await this.ctx.storage.put("party", party);
  }
}

const newMember = (seeker: Seeker): Member => ({ ...seeker, memberId: randomId(10), token: randomId(24) });
