// A stand-in for a browser WebSocket and a Connect whose attempts a test settles by hand: the SDK's sockets on fake timers.
import { vi } from "vitest";
import type { Connect } from "../../client/sdk/socket.ts";

/**
 * Stands in for a browser WebSocket: close() fires the close event at once, as a dead path would
 * (real sockets are tested end to end in test/e2e/restarts/reconnect-storm.test.ts).
 */
export class FakeSocket extends EventTarget {
  readyState = 1;
  readonly sent: string[] = [];
  closedWith: { code: number; reason: string } | undefined;
  listeners = 0;

  override addEventListener(...args: Parameters<EventTarget["addEventListener"]>): void {
    this.listeners += 1;
    super.addEventListener(...args);
  }

  override removeEventListener(...args: Parameters<EventTarget["removeEventListener"]>): void {
    this.listeners -= 1;
    super.removeEventListener(...args);
  }

  send(text: string): void {
    if (this.readyState !== 1) throw new Error("send on a closed socket");
    this.sent.push(text);
  }

  close(code = 1005, reason = ""): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.closedWith = { code, reason };
    this.dispatchEvent(Object.assign(new Event("close"), { code, reason }));
  }

  /** What the server does: a message to the client. */
  receive(message: unknown): void {
    this.dispatchEvent(Object.assign(new Event("message"), { data: JSON.stringify(message) }));
  }
}

/** A Connect whose attempts the test settles by hand, in any order. */
export function network() {
  const attempts: { url: string; open: () => FakeSocket; fail: (why?: string) => void; settled: boolean }[] = [];
  const sockets: FakeSocket[] = [];
  const connect: Connect = (url) =>
    new Promise<WebSocket>((resolve, reject) => {
      const attempt = {
        url,
        settled: false,
        open: () => {
          const ws = new FakeSocket();
          sockets.push(ws);
          attempt.settled = true;
          resolve(ws as unknown as WebSocket);
          return ws;
        },
        fail: (why = "refused") => {
          attempt.settled = true;
          reject(new Error(why));
        },
      };
      attempts.push(attempt);
    });
  return {
    connect,
    attempts,
    sockets,
    /** Sockets open right now. */
    open: () => sockets.filter((ws) => ws.readyState === 1).length,
    /** The attempt still waiting to be settled, if any. */
    pending: () => attempts.filter((a) => !a.settled),
  };
}

export const policy = { minDelayMs: 100, maxDelayMs: 1_000, factor: 2, minUptimeMs: 5_000, maxAttempts: 1_000, connectTimeoutMs: 2_000 };

/** Let promise callbacks run (fake timers leave microtasks alone): an attempt takes a few hops to reach `connect`. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
}
