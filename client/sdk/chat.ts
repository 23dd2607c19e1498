// A room's chat on the client: the lines this socket may see, unread counts per channel, and a typed send.
import type { ChatChannel, ChatHistoryMessage, ChatLine, ChatLineMessage, ChatSend, ChatSettings } from "../../src/protocol/messages.ts";
import { CHAT_HISTORY } from "../../src/protocol/limits.ts";

/** Lines held at most: a room keeps CHAT_HISTORY per scope, and a client reads at most three scopes. */
export const MAX_CHAT_LINES = 3 * CHAT_HISTORY;

/** `whisper` takes the recipient's player id; the other channels take none. */
export type ChatRecipient<C extends ChatChannel> = C extends "whisper" ? [to: string] : [];

export class ChatLog {
  /** The room's chat settings, from the history every join and resume brings; undefined until then. */
  settings: ChatSettings | undefined;
  /** Oldest first, at most MAX_CHAT_LINES. */
  lines: readonly ChatLine[] = [];
  /** Per channel, the highest line id read. */
  readonly #read: Record<ChatChannel, number> = { all: 0, team: 0, whisper: 0 };
  readonly #write: (text: string) => boolean;
  readonly #me: () => string | undefined;

  constructor(write: (text: string) => boolean, me: () => string | undefined) {
    this.#write = write;
    this.#me = me;
  }

  /**
   * Send a line; false when no welcomed socket can carry it (chat is not queued: a line typed while offline is
   * the user's to send again). The room answers a refusal with a typed error (`chat_disabled`, `invalid_chat`,
   * `unknown_recipient`, `chat_rate_limited`, `chat_refused`) through `onError`; an accepted line comes back as a line.
   */
  send<C extends ChatChannel>(channel: C, text: string, ...to: ChatRecipient<C>): boolean {
    const message: ChatSend = { type: "chat", channel, text, ...(to[0] === undefined ? {} : { to: to[0] }) };
    return this.#write(JSON.stringify(message));
  }

  /** Lines of `channel` (or of every channel) others sent since it was last marked read. */
  unread(channel?: ChatChannel): number {
    const me = this.#me();
    return this.lines.filter((line) => (channel === undefined || line.channel === channel) && line.from !== me && line.id > this.#read[line.channel]).length;
  }

  /** Mark every line of `channel` (or of every channel) read. */
  markRead(channel?: ChatChannel): void {
    for (const line of this.lines) if (channel === undefined || line.channel === channel) this.#read[line.channel] = Math.max(this.#read[line.channel], line.id);
  }

  /** The room's chat messages; true when the lines changed. */
  receive(message: ChatLineMessage | ChatHistoryMessage): boolean {
    if (message.type === "chat-history") {
      this.settings = message.settings;
      this.lines = message.lines.slice(-MAX_CHAT_LINES);
      return true;
    }
    const last = this.lines.at(-1);
    // A line already held (delivered again after a resume's history) is skipped.
    if (last !== undefined && message.line.id <= last.id) return false;
    this.lines = [...this.lines.slice(1 - MAX_CHAT_LINES), message.line];
    return true;
  }
}
