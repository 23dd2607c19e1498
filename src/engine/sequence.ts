// Exactly-once delivery: what to do with an action given the seqs already applied and queued for its player.

export type SeqVerdict =
  /** Already applied: acknowledge again, apply nothing. */
  | "duplicate"
  /** Already queued for the next step: it will be acknowledged when applied. */
  | "queued"
  /** Further ahead than the window allows: refuse. */
  | "too_far"
  | "accept";

export function judgeSeq(seq: number, applied: number, queued: number, window: number): SeqVerdict {
  if (seq <= applied) return "duplicate";
  if (seq <= Math.max(applied, queued)) return "queued";
  return seq > Math.max(applied, queued) + window ? "too_far" : "accept";
}
