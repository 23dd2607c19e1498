// The one owner of a room's sockets: their tags, their attachment, the guarded send and close, and who is open.
import { closes, type ServerCloseName } from "../../../protocol/close-codes.ts";
import { INSPECTOR } from "../../../protocol/inspection.ts";
import { playerTag, SPECTATORS, teamTag } from "../../../engine/updates/views.ts";
import type { PlayerId } from "../../../engine/define-game.ts";
import type { SocketIdentity } from "./admission.ts";

/**
 * What a socket carries across hibernation (which drops in-memory fields), in one versioned shape. A socket
 * whose attachment has another version is treated as unknown: the room answers it nothing and closes it.
 * Under the platform's 16 KiB attachment limit by far: ids, a team name and a time.
 */
export type Attachment =
  | { readonly v: 1; readonly role: "inspector"; readonly id: string; readonly connectedAt: number }
  | ({ readonly v: 1; readonly connectedAt: number; readonly frames?: true } & SocketIdentity);

export const ATTACHMENT_VERSION = 1;

export class RoomSockets {
  #ctx: DurableObjectState;
  /** Attachments read once per socket per wake: a structured-clone read per message adds up. */
  #known = new WeakMap<WebSocket, Attachment | null>();

  constructor(ctx: DurableObjectState) {
    this.#ctx = ctx;
  }

  /**
   * Accept a player's or spectator's socket. Tags (at most 4 of the platform's 10): the player, its team and
   * its audience, or the spectators'. One socket per player: an older one for the same seat is closed. `frames`:
   * the client asked for compressed frames (`?frames=deflate`, src/protocol/frames.ts).
   */
  accept(ws: WebSocket, identity: SocketIdentity, now: number, frames: boolean): void {
    if (identity.role === "player") for (const old of this.ofPlayer(identity.playerId)) this.close(old, "replaced", "replaced by a newer connection");
    const tags = identity.role === "spectator" ? [SPECTATORS] : [playerTag(identity.playerId), teamTag(identity.team), identity.audience];
    this.#ctx.acceptWebSocket(ws, [...new Set(tags)]);
    this.#attach(ws, { v: ATTACHMENT_VERSION, ...identity, connectedAt: now, ...(frames ? { frames: true } : {}) });
  }

  /** Accept an inspector: tagged apart (and per socket, to tell one from another), never a player or spectator. */
  acceptInspector(ws: WebSocket, id: string, now: number): void {
    this.#ctx.acceptWebSocket(ws, [INSPECTOR, `${INSPECTOR}:${id}`]);
    this.#attach(ws, { v: ATTACHMENT_VERSION, role: "inspector", id, connectedAt: now });
  }

  /** The socket's attachment; null for a socket of another version (or none). */
  attachment(ws: WebSocket): Attachment | null {
    // One lookup: asked twice per message (inspector? whose?), and null is remembered too.
    const known = this.#known.get(ws);
    if (known !== undefined) return known;
    const raw = ws.deserializeAttachment() as { v?: unknown } | null;
    const attachment = raw?.v === ATTACHMENT_VERSION ? (raw as Attachment) : null;
    this.#known.set(ws, attachment);
    return attachment;
  }

  /** The player's or spectator's identity; null for an inspector or an unknown socket. */
  identity(ws: WebSocket): SocketIdentity | null {
    const attachment = this.attachment(ws);
    return attachment === null || attachment.role === "inspector" ? null : attachment;
  }

  /** Whether the socket takes compressed frames for its long messages. */
  framed(ws: WebSocket): boolean {
    const attachment = this.attachment(ws);
    return attachment !== null && attachment.role !== "inspector" && attachment.frames === true;
  }

  isInspector(ws: WebSocket): boolean {
    return this.attachment(ws)?.role === "inspector";
  }

  ofPlayer(playerId: PlayerId): WebSocket[] {
    return this.#ctx.getWebSockets(playerTag(playerId));
  }

  /** Sockets carrying `tag`: an audience's, say. */
  tagged(tag: string): WebSocket[] {
    return this.#ctx.getWebSockets(tag);
  }

  inspectors(): WebSocket[] {
    return this.#ctx.getWebSockets(INSPECTOR);
  }

  /** Every socket of a player or spectator (inspectors left out: dev tools never keep a room busy). */
  clients(): WebSocket[] {
    return this.#ctx.getWebSockets().filter((ws) => !this.isInspector(ws));
  }

  /** One failing socket never hurts the rest: a send that throws closes only that socket. */
  send(ws: WebSocket, message: string | Uint8Array): boolean {
    try {
      ws.send(message);
      return true;
    } catch {
      this.close(ws, "serverError", "send failed");
      return false;
    }
  }

  /** Close with a code from the protocol's table; a socket already closing or closed is left alone. */
  close(ws: WebSocket, name: ServerCloseName, reason: string = closes[name].meaning): void {
    try {
      ws.close(closes[name].code, reason);
    } catch {
      // Already closed or closing: nothing left to do.
    }
  }

  /**
   * Answer a close the client started. Its close event reports the code of this answer, so the code it
   * sent is echoed (RFC 6455 §5.5.1) when it may be sent at all: a client that dropped to reconnect must
   * not read "left" and stop.
   */
  answerClose(ws: WebSocket, code: number | undefined): void {
    const sendable = code !== undefined && (code === closes.left.code || (code >= 3000 && code <= 4999));
    try {
      ws.close(sendable ? code : closes.left.code, "closed");
    } catch {
      // Already closed: nothing left to do.
    }
  }

  closeAll(name: ServerCloseName): void {
    for (const ws of this.#ctx.getWebSockets()) this.close(ws, name);
  }

  #attach(ws: WebSocket, attachment: Attachment): void {
    ws.serializeAttachment(attachment);
    this.#known.set(ws, attachment);
  }
}
