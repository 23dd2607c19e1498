// Compressed frames on the room's side: a text compressed once, framed for each socket with its own suffix (src/protocol/frames.ts).
import { deflateRawSync } from "node:zlib";
import { MAX_SUFFIX } from "../../../protocol/frames.ts";

/**
 * zlib's defaults (level 6, a 32 KiB window): a standalone message of a few hundred bytes costs the same to compress
 * at any window size, and a snapshot of kilobytes compresses better with the largest.
 */
export const deflate = (text: string): Uint8Array => deflateRawSync(text);

/**
 * One frame of `body` per suffix, cut from one buffer: one allocation per audience and message instead of one per
 * socket (an ArrayBuffer costs the runtime far more than its bytes). Suffixes are ASCII: an ack and the like.
 */
export function framesOf(body: Uint8Array, suffixes: readonly string[]): Uint8Array[] {
  const longest = suffixes.reduce((most, suffix) => Math.max(most, suffix.length), 0);
  if (longest > MAX_SUFFIX) throw new RangeError(`frame suffix of ${longest} characters`);
  const slot = 1 + longest + body.length;
  const slab = new Uint8Array(slot * suffixes.length);
  return suffixes.map((suffix, i) => {
    const at = i * slot;
    slab[at] = suffix.length;
    for (let c = 0; c < suffix.length; c++) slab[at + 1 + c] = suffix.charCodeAt(c);
    slab.set(body, at + 1 + suffix.length);
    return slab.subarray(at, at + 1 + suffix.length + body.length);
  });
}
