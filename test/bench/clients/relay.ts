// A byte-counting TCP relay on 127.0.0.1: what bots and server really exchange, after any permessage-deflate; optionally with latency.
import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * Delay injected on each chunk, each way: `oneWayMs` ± `jitterMs` (uniform), and with probability `spikeChance`
 * another `spikeMs`. Order is kept, as TCP keeps it: a chunk never overtakes the one before, so a spike also holds
 * back what follows it (head-of-line blocking, as on a real network).
 */
export interface Latency {
  readonly oneWayMs: number;
  readonly jitterMs: number;
  readonly spikeChance: number;
  readonly spikeMs: number;
  /** Seed of the delays, so two runs see the same sequence. */
  readonly seed: number;
}

/** Bytes through the relay so far, both ways, summed over every connection. */
export interface RelayCounts {
  up: number;
  down: number;
}

/** What one WebSocket handshake through the relay asked for and got. */
export interface Handshake {
  /** The client's Sec-WebSocket-Extensions request header; null when it offered none. */
  offered: string | null;
  /** The server's Sec-WebSocket-Extensions response header; null when it accepted none. */
  accepted: string | null;
}

export class Relay {
  readonly counts: RelayCounts = { up: 0, down: 0 };
  readonly handshakes: Handshake[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #delay: (() => number) | undefined;

  private constructor(server: Server, latency: Latency | undefined) {
    this.#server = server;
    this.#delay = latency && delays(latency);
  }

  /** Listen on a free loopback port and forward every connection to `targetPort`, after `latency` when given. */
  static async start(targetPort: number, latency?: Latency): Promise<Relay> {
    const relay: Relay = new Relay(createServer((client) => relay.#pipe(client, targetPort)), latency);
    await new Promise<void>((resolve, reject) => {
      relay.#server.once("error", reject);
      relay.#server.listen(0, "127.0.0.1", resolve);
    });
    return relay;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === "object" && address ? address.port : 0;
  }

  #pipe(client: Socket, targetPort: number): void {
    const server = connect(targetPort, "127.0.0.1");
    // Small frames must not wait for Nagle: the relay would add latency the bots then measure.
    client.setNoDelay(true);
    server.setNoDelay(true);
    const handshake: Handshake = { offered: null, accepted: null };
    const request = headBlock((head) => (handshake.offered = extensionsHeader(head)));
    const response = headBlock((head) => {
      handshake.accepted = extensionsHeader(head);
      if (/^HTTP\/1\.1 101/.test(head)) this.handshakes.push(handshake);
    });
    const up = this.#later(server);
    const down = this.#later(client);
    client.on("data", (chunk: Buffer) => {
      this.counts.up += chunk.length;
      request(chunk);
      up(chunk);
    });
    server.on("data", (chunk: Buffer) => {
      this.counts.down += chunk.length;
      response(chunk);
      down(chunk);
    });
    for (const socket of [client, server]) {
      this.#sockets.add(socket);
      socket.on("error", () => {
        client.destroy();
        server.destroy();
      });
      socket.on("close", () => {
        this.#sockets.delete(socket);
        (socket === client ? server : client).end();
      });
    }
  }

  /** Writes to `to` at once, or after the injected delay: one queue and one timer per direction, so order holds. */
  #later(to: Socket): (chunk: Buffer) => void {
    const delay = this.#delay;
    if (!delay) return (chunk) => void to.write(chunk);
    const queue: { due: number; chunk: Buffer }[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const drain = () => {
      if (timer) this.#timers.delete(timer);
      timer = undefined;
      while (queue.length > 0 && (queue[0]?.due ?? 0) <= performance.now()) {
        const { chunk } = queue.shift() as { chunk: Buffer };
        if (to.writable) to.write(chunk);
      }
      const next = queue[0];
      if (next) this.#timers.add((timer = setTimeout(drain, Math.max(0, next.due - performance.now()))));
    };
    return (chunk) => {
      queue.push({ due: Math.max(queue.at(-1)?.due ?? 0, performance.now() + delay()), chunk });
      if (!timer) drain();
    };
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A seeded sequence of delays (mulberry32). */
function delays({ oneWayMs, jitterMs, spikeChance, spikeMs, seed }: Latency): () => number {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => oneWayMs + (random() * 2 - 1) * jitterMs + (random() < spikeChance ? spikeMs : 0);
}

/** Collects a connection's first bytes until the HTTP header block ends, then hands it over once. */
function headBlock(done: (head: string) => void): (chunk: Buffer) => void {
  let head: string | null = "";
  return (chunk) => {
    if (head === null) return;
    head += chunk.toString("latin1");
    const end = head.indexOf("\r\n\r\n");
    if (end === -1 && head.length < 16_384) return;
    done(end === -1 ? head : head.slice(0, end));
    head = null;
  };
}

const extensionsHeader = (head: string): string | null =>
  /^sec-websocket-extensions:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? null;
