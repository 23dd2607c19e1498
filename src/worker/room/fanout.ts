// Outbound messages of a room: per-audience patches to tagged sockets, answers to one player, guarded, metered sends.
import type { Game, PlayerId } from "../../engine/define-game.ts";
import type { MatchRecord, Outcome } from "../../engine/match.ts";
import { utf8Bytes } from "../../engine/inbound.ts";
import { audienceFrameText, INSPECTOR, type MirrorKind } from "../../protocol/inspection.ts";
import type { AckMessage, WelcomeMessage } from "../../protocol/messages.ts";
import { ReadReceipts } from "./read-receipts.ts";
import { settings } from "../settings.ts";
import { audiencesOf, playerTag, snapshotText, updateFor, viewFor, type AudienceKey, type Sent } from "../../engine/views.ts";

export class Fanout {
  #ctx: DurableObjectState;
  /** Per audience, what its sockets were last sent. A cache: after a wake it is rebuilt from the record. */
  #sent = new Map<AudienceKey, Sent>();
  /** Per audience, the last few updates sent, so a reconnecting client can get exactly what it missed. */
  #recent = new Map<AudienceKey, { from: number; text: string }[]>();
  #receipts = new ReadReceipts(settings.maxUnreadBytes);
  messagesOut = 0;

  constructor(ctx: DurableObjectState) {
    this.#ctx = ctx;
  }

  /**
   * Send every audience with sockets the one message that brings it from `before` to `after`.
   * Audiences in `seated` are kept up to date even without sockets, so a dropped player can
   * resume with exactly the updates it missed.
   */
  broadcast(game: Game, before: MatchRecord, after: MatchRecord, seated: ReadonlySet<AudienceKey>): void {
    const live = new Set(audiencesOf(game, after));
    for (const key of this.#sent.keys()) if (!live.has(key)) this.#forget(key);
    // The dev inspector's only cost when nobody inspects: this one lookup per broadcast.
    const inspectors = this.#ctx.getWebSockets(INSPECTOR);
    for (const audience of live) {
      const sockets = this.#ctx.getWebSockets(audience);
      // An inspector shows every audience, so while one watches, audiences without sockets are kept too.
      if (sockets.length === 0 && !seated.has(audience) && inspectors.length === 0) {
        this.#forget(audience);
        continue;
      }
      let update: ReturnType<typeof updateFor>;
      let sent: Sent;
      try {
        // Without a cache entry the sockets hold `before`: everything sent was durable, and views are pure.
        sent = this.#sent.get(audience) ?? { version: before.version, view: viewFor(game, before, audience) };
        update = updateFor(sent, viewFor(game, after, audience), after.version);
      } catch (error) {
        // A view that throws skips this audience's update; its next one is diffed from what it holds.
        console.error(`view for ${audience} failed`, error);
        continue;
      }
      if (!update) continue;
      this.#sent.set(audience, update.sent);
      const recent = this.#recent.get(audience) ?? [];
      recent.push({ from: sent.version, text: update.text });
      if (recent.length > settings.resumeUpdates) recent.shift();
      this.#recent.set(audience, recent);
      for (const ws of sockets) if (this.#receipts.allows(ws, "update")) this.#deliver(ws, update.text, update.sent.version);
      if (inspectors.length > 0) mirror(inspectors, audience, "update", update.text);
    }
  }

  /** Send an inspector what an audience holds, as a snapshot (on connect, and after a gap). */
  mirrorHeld(inspector: WebSocket, game: Game, record: MatchRecord, audience: AudienceKey): void {
    mirror([inspector], audience, "held", snapshotText(this.#held(game, record, audience)));
  }

  /** The version an audience was last sent, if the room is tracking it. */
  sentVersion(audience: AudienceKey): number | undefined {
    return this.#sent.get(audience)?.version;
  }

  /**
   * The updates an audience was sent after `version`, in order, if they are all still held;
   * undefined when the client must take a snapshot instead.
   */
  missedSince(audience: AudienceKey, version: number): string[] | undefined {
    const sent = this.#sent.get(audience);
    if (!sent) return undefined;
    if (sent.version === version) return [];
    const recent = this.#recent.get(audience) ?? [];
    const from = recent.findIndex((update) => update.from === version);
    return from === -1 ? undefined : recent.slice(from).map((update) => update.text);
  }

  #forget(audience: AudienceKey): void {
    this.#sent.delete(audience);
    this.#recent.delete(audience);
  }

  /**
   * A new socket's first messages: the welcome, then either exactly the updates it missed since
   * `resumeFrom` (a reconnecting client's version) or, when those are gone, a snapshot.
   */
  greet(ws: WebSocket, welcome: WelcomeMessage, game: Game, record: MatchRecord, audience: AudienceKey, resumeFrom?: number): void {
    this.send(ws, JSON.stringify(welcome));
    const missed = resumeFrom === undefined ? undefined : this.missedSince(audience, resumeFrom);
    if (missed) for (const text of missed) this.send(ws, text);
    else this.send(ws, snapshotText(this.#held(game, record, audience)));
  }

  /** Send `ws` its audience's snapshot again (a resync). */
  resync(ws: WebSocket, game: Game, record: MatchRecord, audience: AudienceKey): void {
    const sent = this.#held(game, record, audience);
    if (this.#receipts.allows(ws, "reply")) this.#deliver(ws, snapshotText(sent), sent.version);
  }

  /** A read receipt; a socket that was behind and has read everything it was sent gets one snapshot and updates again. */
  seen(ws: WebSocket, version: number, game: Game, record: MatchRecord, audience: AudienceKey): void {
    if (this.#receipts.seen(ws, version)) this.resync(ws, game, record, audience);
  }

  /** What an audience holds, which every snapshot it is sent must be, so its next patch applies. */
  #held(game: Game, record: MatchRecord, audience: AudienceKey): Sent {
    let sent = this.#sent.get(audience);
    if (!sent) {
      sent = { version: record.version, view: viewFor(game, record, audience) };
      this.#sent.set(audience, sent);
    }
    return sent;
  }

  /** Tell each acting player how its action ended: an ack, or the error. */
  answer(outcomes: readonly Outcome[]): void {
    for (const outcome of outcomes) {
      if (outcome.cause !== undefined) console.error("action failed", outcome.cause);
      this.toPlayer(outcome.player, JSON.stringify(outcome.error ?? ({ type: "ack", seq: outcome.seq } satisfies AckMessage)));
    }
  }

  toPlayer(playerId: PlayerId, text: string): void {
    for (const ws of this.#ctx.getWebSockets(playerTag(playerId))) this.send(ws, text);
  }

  /** A message that is not an update: an answer, a notice, or a new socket's first messages. */
  send(ws: WebSocket, text: string): void {
    if (this.#receipts.allows(ws, "reply")) this.#deliver(ws, text);
  }

  /** Send, count, and meter against the socket's read receipts. */
  #deliver(ws: WebSocket, text: string, version?: number): void {
    if (!trySend(ws, text)) return;
    this.messagesOut += 1;
    this.#receipts.count(ws, text, version);
  }
}

/** One failing socket never hurts the rest: a send that throws closes only that socket. */
function trySend(ws: WebSocket, text: string): boolean {
  try {
    ws.send(text);
    return true;
  } catch {
    closeQuietly(ws, 1011, "send failed");
    return false;
  }
}

/** Inspectors are not metered or counted in `messagesOut`: they are dev tools, not clients. */
function mirror(inspectors: readonly WebSocket[], audience: AudienceKey, kind: MirrorKind, text: string): void {
  const frame = audienceFrameText(audience, kind, utf8Bytes(text), text);
  for (const ws of inspectors) trySend(ws, frame);
}

export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closed or closing: nothing left to do.
  }
}
