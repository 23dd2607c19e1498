// The Rate Limiting binding on bare workerd (npm run serve): a fixed window per key, in this process's memory.
// Cloudflare's binding counts per location and forgets on its own; this one counts exactly and forgets on restart.

/** Keys remembered per limiter; past it the oldest key is forgotten (a bound, not a refusal). */
const MAX_KEYS = 50_000;

/** Called once per binding by workerd with the inner bindings `limit` and `period` (seconds). */
export default function rateLimiter(env) {
  const limit = Number(env.limit);
  const periodMs = Number(env.period) * 1000;
  /** key -> { window, count }; a Map keeps insertion order, so the first key is the oldest. */
  const counts = new Map();
  return {
    async limit({ key }) {
      const window = Math.floor(Date.now() / periodMs);
      let entry = counts.get(key);
      if (!entry || entry.window !== window) {
        counts.delete(key);
        entry = { window, count: 0 };
        counts.set(key, entry);
        if (counts.size > MAX_KEYS) counts.delete(counts.keys().next().value);
      }
      entry.count += 1;
      return { success: entry.count <= limit };
    },
  };
}
