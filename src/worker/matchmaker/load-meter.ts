// A shard's request rate: requests in the current and the previous second of its clock, and the busiest second seen.

/** Counts requests per whole second; `rate` is the busier of the last full second and the one under way. */
export class LoadMeter {
  #second = -1;
  #current = 0;
  #previous = 0;
  #peak = 0;
  #total = 0;

  /** Count one request at `now` (ms) and return the rate it makes. */
  hit(now: number): number {
    this.#roll(now);
    this.#current += 1;
    this.#total += 1;
    this.#peak = Math.max(this.#peak, this.#current);
    return this.rate(now);
  }

  rate(now: number): number {
    this.#roll(now);
    return Math.max(this.#current, this.#previous);
  }

  /** In memory: they restart with the object, which is what a rate needs (an evicted object was idle). */
  stats(now: number): { rate: number; peak: number; total: number } {
    return { rate: this.rate(now), peak: this.#peak, total: this.#total };
  }

  #roll(now: number): void {
    const second = Math.floor(now / 1000);
    if (second === this.#second) return;
    this.#previous = second === this.#second + 1 ? this.#current : 0;
    this.#current = 0;
    this.#second = second;
  }
}
