// Per-socket flood control: a token bucket for messages, and a penalty that closes a socket that keeps flooding.
import { settings } from "../../settings.ts";

export interface Bucket {
  tokens: number;
  /** Refused messages not yet forgiven; it drains at the message rate. */
  penalty: number;
  at: number;
  /** When this socket was last told it is rate limited. */
  warnedAt: number;
}

export type Verdict = "ok" | "drop" | "warn" | "close";

export interface RateLimits {
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  readonly abusePenalty: number;
  readonly resyncIntervalMs: number;
}

export const defaultLimits: RateLimits = settings;

export const newBucket = (now: number, limits: RateLimits): Bucket => ({ tokens: limits.messageBurst, penalty: 0, at: now, warnedAt: -Infinity });

/**
 * Spend a token for one message. Refused messages are dropped unparsed; the sender is told at most
 * once a second ("warn"), and a sender that keeps flooding past `abusePenalty` refusals is closed.
 */
export function take(bucket: Bucket, now: number, limits: RateLimits): Verdict {
  const elapsed = Math.max(0, now - bucket.at) / 1000;
  bucket.at = now;
  bucket.tokens = Math.min(limits.messageBurst, bucket.tokens + elapsed * limits.messagesPerSecond);
  bucket.penalty = Math.max(0, bucket.penalty - elapsed * limits.messagesPerSecond);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return "ok";
  }
  bucket.penalty += 1;
  if (bucket.penalty > limits.abusePenalty) return "close";
  if (now - bucket.warnedAt < 1000) return "drop";
  bucket.warnedAt = now;
  return "warn";
}
