// Slow readers: bytes each socket was sent beyond the last version it reported `seen`, and when to stop sending.
//
// Cloudflare's WebSocket has no bufferedAmount and send() never blocks, so a client that stops reading
// would make the room buffer its messages without bound. Only the client can say what it has read.

import { utf8Bytes } from "../../../engine/inbound.ts";

interface Reader {
  /** Bytes sent since the client's first receipt. */
  sent: number;
  /** `sent` just after the update the client last reported seen. */
  read: number;
  /** Updates sent and not yet reported seen: each version with `sent` just after it. */
  marks: { version: number; sent: number }[];
  /** The version of the last update sent; reporting it means the client has read every update. */
  last: number;
  /** Over budget: no updates until it reports `last`, then one snapshot. */
  behind: boolean;
}


/**
 * In memory: after a wake every socket starts unmetered again, which is harmless, since a hibernated room
 * sent nothing. Sockets that never send `seen` (older clients, scripts) are never metered.
 */
export class ReadReceipts {
  #readers = new WeakMap<WebSocket, Reader>();
  readonly #budget: number;

  /** The last text measured: an update goes to every socket of its audience, so it is measured once. */
  #measured = { text: "", bytes: 0 };

  constructor(budget: number) {
    this.#budget = budget;
  }

  #bytes(text: string): number {
    if (text !== this.#measured.text) this.#measured = { text, bytes: utf8Bytes(text) };
    return this.#measured.bytes;
  }

  /**
   * Whether a message may go to `ws`. Updates stop once its unread bytes pass the budget. Replies (acks,
   * errors, resync snapshots, the result) answer the client's own messages, so they still go, up to twice
   * the budget: a socket that writes but never reads is bounded too.
   */
  allows(ws: WebSocket, kind: "update" | "reply"): boolean {
    const reader = this.#readers.get(ws);
    if (!reader) return true;
    const unread = reader.sent - reader.read;
    if (kind === "reply") return unread <= 2 * this.#budget;
    if (unread > this.#budget) reader.behind = true;
    return !reader.behind;
  }

  /**
   * Count a message sent to `ws` (a frame by its length, a text by its UTF-8 size); `version` when it carries the view
   * (a patch or snapshot); `bytes` when the sender knows a text's size.
   */
  count(ws: WebSocket, message: string | Uint8Array, version?: number, bytes?: number): void {
    const reader = this.#readers.get(ws);
    if (!reader) return;
    reader.sent += typeof message === "string" ? (bytes ?? this.#bytes(message)) : message.byteLength;
    if (version === undefined) return;
    reader.marks.push({ version, sent: reader.sent });
    reader.last = version;
  }

  /**
   * The client has read up to `version`. True when a socket that was behind has now read every update it
   * was sent: it needs one snapshot, since the updates it skipped cannot be patched over.
   */
  seen(ws: WebSocket, version: number): boolean {
    const reader = this.#readers.get(ws);
    if (!reader) {
      // Metering starts at the first receipt: what was sent before it is not counted.
      this.#readers.set(ws, { sent: 0, read: 0, marks: [], last: version, behind: false });
      return false;
    }
    const at = reader.marks.findIndex((mark) => mark.version === version);
    if (at !== -1) {
      reader.read = (reader.marks[at] as { sent: number }).sent;
      reader.marks.splice(0, at + 1);
    }
    if (!reader.behind || version !== reader.last) return false;
    // Replies sent after the last update are forgiven: they are bounded, and the snapshot starts a clean count.
    reader.behind = false;
    reader.read = reader.sent;
    reader.marks = [];
    return true;
  }
}
