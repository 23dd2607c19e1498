// Compressed frames: how a room sends a long message to a socket that asked for them, and how a client reads one back.
// No runtime import: the client bundle takes it as it is (DecompressionStream is in every browser, Node and workerd).

/** The socket URL's query parameter (`?frames=deflate`) with which a client asks for compressed frames. */
export const FRAMES_PARAM = "frames";
export const DEFLATE_FRAMES = "deflate";

/**
 * A binary frame is one message: `[n: one byte][n bytes of ASCII: a suffix][raw DEFLATE (RFC 1951) of a JSON object's
 * text]`, and the message is that text with the suffix put before its closing brace (an empty suffix: the text as it
 * is). A realtime update goes to every socket of an audience, so the room compresses its text once for all of them,
 * and what differs per socket (its ack) rides uncompressed in the suffix. Text frames stay plain JSON.
 */
export const MAX_SUFFIX = 255;

/** The message `text` with `suffix` spliced in before its closing brace: what a frame decodes to, and what a text frame carries. */
export const withSuffix = (text: string, suffix: string): string => (suffix === "" ? text : `${text.slice(0, -1)}${suffix}}`);

/** Inflates raw DEFLATE to text: the platform's `DecompressionStream` by default; Node can pass zlib's `inflateRawSync`. */
export type Inflate = (body: Uint8Array<ArrayBuffer>) => string | Promise<string>;

export const streamInflate: Inflate = (body) =>
  new Response(new Blob([body]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).text();

/**
 * The JSON text a binary frame carries: at once when `inflate` is synchronous, else a promise. Throws (or rejects)
 * on a frame that is not one: a truncated suffix, DEFLATE that does not inflate.
 */
export function frameText(frame: ArrayBuffer | Uint8Array | Blob, inflate: Inflate = streamInflate): string | Promise<string> {
  if (frame instanceof Blob) return frame.arrayBuffer().then((bytes) => frameText(bytes, inflate));
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  const length = bytes[0];
  if (length === undefined || bytes.length < 1 + length) throw new Error("not a frame: shorter than its suffix");
  const suffix = String.fromCharCode(...bytes.subarray(1, 1 + length));
  const text = inflate(bytes.slice(1 + length));
  return typeof text === "string" ? withSuffix(text, suffix) : text.then((inflated) => withSuffix(inflated, suffix));
}
