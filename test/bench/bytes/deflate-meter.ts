// What a message stream costs on the wire under permessage-deflate (RFC 7692), computed offline with zlib.
import { constants, createDeflateRaw, deflateRawSync, type DeflateRaw } from "node:zlib";

/** Server-to-client frame header: unmasked, 7-bit, 16-bit or 64-bit length. */
const frameHeader = (length: number): number => (length < 126 ? 2 : length < 65_536 ? 4 : 10);

/** permessage-deflate drops the 00 00 ff ff that ends every sync flush. */
const TRAILER = 4;

/** One sending side with context takeover (the window carries over between messages), as workerd negotiates it. */
export class DeflateMeter {
  readonly #stream: DeflateRaw = createDeflateRaw({ windowBits: 15, memLevel: 8 });
  readonly #chunks: Buffer[] = [];

  constructor() {
    this.#stream.on("data", (chunk: Buffer) => this.#chunks.push(chunk));
  }

  /** Wire bytes of one text message: frame header plus its compressed payload. */
  async frame(text: string): Promise<number> {
    this.#chunks.length = 0;
    this.#stream.write(text);
    await new Promise<void>((resolve) => this.#stream.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    const payload = this.#chunks.reduce((sum, chunk) => sum + chunk.length, 0) - TRAILER;
    return frameHeader(payload) + payload;
  }

  close(): void {
    this.#stream.close();
  }
}

/** Wire bytes of one message compressed on its own (no context takeover), for comparison. */
export function frameAlone(text: string): number {
  const payload = deflateRawSync(text, { finishFlush: constants.Z_SYNC_FLUSH }).length - TRAILER;
  return frameHeader(payload) + payload;
}

/** Wire bytes of a stream of messages, each compressed with the context the previous ones left. */
export async function streamWire(texts: readonly string[]): Promise<number> {
  const meter = new DeflateMeter();
  let total = 0;
  for (const text of texts) total += await meter.frame(text);
  meter.close();
  return total;
}
