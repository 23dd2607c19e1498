// Outbound messages of a room: per-audience patches to tagged sockets, answers to one player, metered sends, resyncs.
import type { Game, PlayerId } from "../../../engine/define-game.ts";
import type { MatchRecord, Outcome } from "../../../engine/match.ts";
import type { MirrorKind } from "../../../protocol/inspection.ts";
import type { AckMessage, WelcomeMessage } from "../../../protocol/messages.ts";
import { ReadReceipts } from "./read-receipts.ts";
import type { RoomSockets } from "../sockets/sockets.ts";
import { settings } from "../../settings.ts";
import { liveAudiences, snapshotText, updateFor, viewFor, type AudienceKey, type Sent } from "../../../engine/updates/views.ts";
import { ackSuffix, acksInUpdates, owedAudiences, type StoredSeqs } from "./update-acks.ts";
import { deflate, framesOf } from "./frames.ts";
import { withSuffix } from "../../../protocol/frames.ts";
import type { DiffMemo } from "../../../engine/updates/patch.ts";
import { utf8Bytes } from "../../../engine/inbound.ts";

/** Who else sees every audience's messages (the dev inspector); the fanout knows nothing more of it. */
export interface FanoutObserver {
  /** Asked once per broadcast: while true, audiences without sockets are kept up to date too. */
  watching(): boolean;
  /** `text` is exactly what the audience's sockets were sent (`update`), or a snapshot of what it holds (`held`). */
  observe(audience: AudienceKey, kind: MirrorKind, text: string): void;
}

export class Fanout {
  #sockets: RoomSockets;
  #observer: FanoutObserver;
  /** Per audience, what its sockets were last sent. A cache: after a wake it is rebuilt from the record. */
  #sent = new Map<AudienceKey, Sent>();
  /** Per audience, the last few updates sent, so a reconnecting client can get exactly what it missed. */
  #recent = new Map<AudienceKey, { from: number; text: string }[]>();
  /** The snapshot text of each held view, built once per audience and version however many sockets ask. */
  #snapshots = new WeakMap<Sent, string>();
  #receipts = new ReadReceipts(settings.maxUnreadBytes);
  /** The last text compressed: a chat line or a notice goes to many sockets one by one, and is compressed once. */
  #compressed: { text: string; body: Uint8Array } = { text: "", body: new Uint8Array(0) };
  /** The stored seqs the last update acknowledged; before any update (after a wake) the loaded record's, all stored. */
  #stored: StoredSeqs | undefined;
  messagesOut = 0;

  constructor(sockets: RoomSockets, observer: FanoutObserver) {
    this.#sockets = sockets;
    this.#observer = observer;
  }

  /**
   * Send every audience with sockets the one message that brings it from `before` to `after`.
   * Audiences in `seated` are kept up to date even without sockets, so a dropped player can
   * resume with exactly the updates it missed. In a realtime game each player's socket gets its ack in the
   * update (from `stored`, what storage holds now), and an audience whose view did not change still gets one
   * (with no ops) when it holds a player whose stored seq moved.
   */
  broadcast(game: Game, before: MatchRecord, after: MatchRecord, seated: ReadonlySet<AudienceKey>, stored: StoredSeqs): void {
    const live = liveAudiences(game, after);
    const previous = this.#stored ?? before.seqs;
    const owed = owedAudiences(game, before, after, previous, stored);
    this.#stored = stored;
    for (const key of this.#sent.keys()) if (!live.has(key)) this.#forget(key);
    // The observer's only cost when nobody watches: this one question per broadcast.
    const watched = this.#observer.watching();
    // Audiences whose views share a list diff it once (views are pure); dropped with this broadcast.
    const memo: DiffMemo = new Map();
    for (const audience of live) {
      const sockets = this.#sockets.tagged(audience);
      // An observer sees every audience, so while one watches, audiences without sockets are kept too.
      if (sockets.length === 0 && !seated.has(audience) && !watched) {
        this.#forget(audience);
        continue;
      }
      let update: ReturnType<typeof updateFor>;
      let sent: Sent;
      try {
        // Without a cache entry the sockets hold `before`: everything sent was durable, and views are pure.
        sent = this.#sent.get(audience) ?? { version: before.version, view: viewFor(game, before, audience) };
        update = updateFor(sent, viewFor(game, after, audience), after.version, owed.has(audience), memo);
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
      this.#sendUpdate(sockets, update.text, update.sent.version, game, after, owed.has(audience) ? previous : undefined);
      if (watched) this.#observer.observe(audience, "update", update.text);
    }
  }

  /** The snapshot of what an audience holds, as text: what a resync, a greeting or an observer is sent. */
  heldText(game: Game, record: MatchRecord, audience: AudienceKey): string {
    return this.#snapshotText(this.#held(game, record, audience));
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
    // Missed updates go as they were sent to the audience, without acks: the welcome's lastSeq is this socket's ack.
    if (missed) for (const text of missed) this.send(ws, text);
    else this.send(ws, withSuffix(this.heldText(game, record, audience), this.#ackSuffix(ws, game, record)));
  }

  /**
   * A client asked for its audience's snapshot again (the inbox already allowed one per `resyncIntervalMs`).
   * The snapshot counts against the socket's unread budget like an update: over it, nothing is sent until
   * the client has read what it was sent, and then it gets one snapshot anyway (see `seen`).
   */
  resync(ws: WebSocket, game: Game, record: MatchRecord, audience: AudienceKey): void {
    this.#snapshot(ws, game, record, audience);
  }

  /** A read receipt; a socket that was behind and has read everything it was sent gets one snapshot and updates again. */
  seen(ws: WebSocket, version: number, game: Game, record: MatchRecord, audience: AudienceKey): void {
    if (this.#receipts.seen(ws, version)) this.#snapshot(ws, game, record, audience);
  }

  #snapshot(ws: WebSocket, game: Game, record: MatchRecord, audience: AudienceKey): void {
    const sent = this.#held(game, record, audience);
    this.#sendUpdate([ws], this.#snapshotText(sent), sent.version, game, record);
  }

  /**
   * One update (or snapshot) of an audience to its sockets, each with its own ack. Sockets that take compressed
   * frames share one compression of the text and one buffer; the others get the text with the ack spliced in, whose
   * UTF-8 size follows from the shared text's, encoded once here rather than once per socket by the receipts. A
   * socket over its unread budget gets nothing, or an ack message when the audience is owed one since `owedSince`.
   */
  #sendUpdate(sockets: readonly WebSocket[], text: string, version: number, game: Game, record: MatchRecord, owedSince?: StoredSeqs): void {
    const framed: WebSocket[] = [];
    let bytes: number | undefined;
    for (const ws of sockets) {
      if (!this.#receipts.allows(ws, "update")) {
        if (owedSince) this.#ackBehind(ws, owedSince, this.#stored ?? record.seqs);
        continue;
      }
      if (this.#takesFrame(ws, text)) {
        framed.push(ws);
        continue;
      }
      const suffix = this.#ackSuffix(ws, game, record);
      bytes ??= utf8Bytes(text);
      this.#deliver(ws, withSuffix(text, suffix), version, bytes + suffix.length);
    }
    if (framed.length === 0) return;
    const frames = framesOf(this.#compress(text), framed.map((ws) => this.#ackSuffix(ws, game, record)));
    framed.forEach((ws, i) => this.#deliver(ws, frames[i] as Uint8Array, version));
  }

  /**
   * A socket's own members of an update: the player's ack in a realtime game. The ack is what storage holds, and
   * the output gate holds this send until the writes before it are durable, so the ack never claims more than
   * survives a crash. A snapshot between steps shows `record`, which reflects at least that much.
   */
  #ackSuffix(ws: WebSocket, game: Game, record: MatchRecord): string {
    if (!acksInUpdates(game)) return "";
    const identity = this.#sockets.identity(ws);
    if (identity?.role !== "player") return "";
    const applied = record.seqs[identity.playerId] ?? 0;
    return ackSuffix(Math.min(applied, (this.#stored ?? record.seqs)[identity.playerId] ?? 0), applied);
  }

  #snapshotText(sent: Sent): string {
    let text = this.#snapshots.get(sent);
    if (text === undefined) {
      text = snapshotText(sent);
      this.#snapshots.set(sent, text);
    }
    return text;
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

  /** A socket too far behind to be sent updates still hears that its action was processed, as replies do. */
  #ackBehind(ws: WebSocket, previous: StoredSeqs, stored: StoredSeqs): void {
    const identity = this.#sockets.identity(ws);
    if (identity?.role !== "player") return;
    const seq = stored[identity.playerId];
    if (seq !== undefined && seq !== previous[identity.playerId]) this.send(ws, JSON.stringify({ type: "ack", seq } satisfies AckMessage));
  }

  /**
   * Tell each acting player how its action ended: the error, or in a turn-based game an ack. In a realtime game
   * the step's update (sent just before, see `broadcast`) already acknowledged every action it processed.
   */
  answer(game: Game, outcomes: readonly Outcome[]): void {
    const ackEach = !acksInUpdates(game);
    for (const outcome of outcomes) {
      if (outcome.cause !== undefined) console.error("action failed", outcome.cause);
      if (outcome.error) this.toPlayer(outcome.player, JSON.stringify(outcome.error));
      else if (ackEach) this.toPlayer(outcome.player, JSON.stringify({ type: "ack", seq: outcome.seq } satisfies AckMessage));
    }
  }

  toPlayer(playerId: PlayerId, text: string): void {
    for (const ws of this.#sockets.ofPlayer(playerId)) this.send(ws, text);
  }

  /** A message that is not an update: an answer, a notice, or a new socket's first messages. */
  send(ws: WebSocket, text: string): void {
    if (!this.#receipts.allows(ws, "reply")) return;
    this.#deliver(ws, this.#takesFrame(ws, text) ? (framesOf(this.#compress(text), [""])[0] as Uint8Array) : text);
  }

  /** Whether `text` goes to `ws` as a compressed frame: the socket asked for frames, and the text is long enough to gain. */
  #takesFrame(ws: WebSocket, text: string): boolean {
    return text.length >= settings.compressFromChars && this.#sockets.framed(ws);
  }

  #compress(text: string): Uint8Array {
    if (text !== this.#compressed.text) this.#compressed = { text, body: deflate(text) };
    return this.#compressed.body;
  }

  /** Send, count, and meter against the socket's read receipts. */
  #deliver(ws: WebSocket, message: string | Uint8Array, version?: number, bytes?: number): void {
    if (!this.#sockets.send(ws, message)) return;
    this.messagesOut += 1;
    this.#receipts.count(ws, message, version, bytes);
  }
}
