import { createHash } from "node:crypto";
import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { DomainError } from "./errors";

/** At most `points` calls per key in each window of `windowSeconds`; `name` keeps limits apart in the shared table. */
export type RateLimit = { name: string; points: number; windowSeconds: number };

/**
 * A rate limit counted in PostgreSQL (table rate_limits, through rate-limiter-flexible's store),
 * so every app instance on the database enforces one limit together: N servers still allow a key
 * `points` calls a window, not N times that.
 *
 * Windows are fixed: a key's window starts with its first call and ends `windowSeconds` later,
 * when its count starts again from zero. Refused calls do not move the end, so hammering a limit
 * never makes the wait longer than the window. The window's end is the app's clock (Date.now()),
 * so instances are assumed to keep their clocks in step (NTP); a skew only shifts windows.
 *
 * When the database can't be reached, every method throws the driver's error (the limiter fails
 * closed): the callers' error handling answers 503 with Retry-After, as it does for any query.
 */
export class RateLimiter {
  private readonly counter: RateLimiterPostgres;

  constructor(
    pool: pg.Pool,
    readonly limit: RateLimit,
  ) {
    this.counter = new RateLimiterPostgres({
      storeClient: pool,
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true, // db/migrations creates it; the app never runs DDL
      keyPrefix: limit.name,
      points: limit.points,
      duration: limit.windowSeconds,
    });
  }

  /** Counts one call for key, or throws rate_limited with the whole seconds until its window ends. */
  async take(key: string): Promise<void> {
    try {
      await this.counter.consume(key);
    } catch (outcome) {
      // The library rejects with its result when the limit is reached, with an Error when the store failed.
      if (!(outcome instanceof RateLimiterRes)) throw outcome;
      const retryAfterSeconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      throw new DomainError("rate_limited", `rate limit exceeded: at most ${describe(this.limit)}; retry in ${retryAfterSeconds} s`, retryAfterSeconds);
    }
  }

  /** Gives back one call counted by take (a sign-in whose password was right is not a failure). */
  async giveBack(key: string): Promise<void> {
    await this.counter.reward(key, 1);
  }

  /** Forgets key's count: its next call starts a new window. */
  async reset(key: string): Promise<void> {
    await this.counter.delete(key);
  }
}

function describe({ points, windowSeconds }: RateLimit): string {
  if (windowSeconds === 60) return `${points} a minute`;
  return windowSeconds % 60 === 0 ? `${points} in ${windowSeconds / 60} minutes` : `${points} in ${windowSeconds} s`;
}

/** A short fixed-length stand-in for a key that may be long or personal (an email address): keys are stored. */
export function hashedKey(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("base64url");
}
