import { DomainError } from "./errors";

export type RateLimit = { perMinute: number; burst: number };

/** Token buckets per key, in this process's memory (the app runs as one server process). */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for key, or throws rate_limited with the seconds until one is back. */
  take(key: string): void {
    const refillPerMs = this.limit.perMinute / 60_000;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
      throw new DomainError("rate_limited", `rate limit exceeded: at most ${this.limit.perMinute} a minute; retry in ${retryAfterSeconds} s`, retryAfterSeconds);
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.sweep(now, refillPerMs);
  }

  // Full buckets carry no information: drop them so memory stays bounded.
  private sweep(now: number, refillPerMs: number) {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * refillPerMs >= this.limit.burst) this.buckets.delete(key);
    }
  }
}
