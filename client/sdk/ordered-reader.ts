// One socket's messages, text and compressed frames, handed on in the order they came although frames inflate asynchronously.
import { frameText, type Inflate } from "../../src/protocol/frames.ts";

/**
 * `read(data)` for each message of a socket; `deliver` gets each message's text in arrival order: at once when
 * nothing is waiting ahead of it, else after the frames ahead of it have inflated. A frame that does not inflate is
 * reported and skipped, a gap like a lost patch (the next one finds the version wrong and the client resyncs).
 */
export function orderedReader(deliver: (text: string) => void, inflate?: Inflate): (data: string | ArrayBuffer) => void {
  let reading: Promise<void> = Promise.resolve();
  let queued = 0;
  return (data) => {
    let text: string | Promise<string>;
    try {
      text = typeof data === "string" ? data : frameText(data, inflate);
    } catch (error) {
      text = Promise.reject(error);
      // Handled below, in order, by the chain's error handler.
      text.catch(() => undefined);
    }
    if (typeof text === "string" && queued === 0) return deliver(text);
    queued += 1;
    const next = text;
    reading = reading
      .then(() => next)
      .then(deliver, (error: unknown) => console.error("room client: unreadable frame", error))
      .finally(() => void (queued -= 1));
  };
}
