// The token bucket behind the 429s, on a clock the test moves by hand.
import { describe, expect, it } from "vitest";
import { RateLimiter } from "@/server/domain/rate-limit";
import { DomainError } from "@/server/domain/errors";

function limiter(perMinute: number, burst: number) {
  let now = 1_000_000;
  const l = new RateLimiter({ perMinute, burst }, () => now);
  return { l, advance: (ms: number) => (now += ms) };
}

/** The error take() throws, or null when it let the call through. */
function refusal(l: RateLimiter, key: string): DomainError | null {
  try {
    l.take(key);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
}

describe("RateLimiter", () => {
  it("lets a burst through, then refuses with rate_limited and the seconds until a token is back", () => {
    const { l } = limiter(60, 3);
    expect([refusal(l, "k"), refusal(l, "k"), refusal(l, "k")]).toEqual([null, null, null]);
    const error = refusal(l, "k")!;
    expect(error.kind).toBe("rate_limited");
    expect(error.retryAfterSeconds).toBe(1); // 60 a minute: one a second
    expect(error.message).toMatch(/at most 60 a minute; retry in 1 s/);
  });

  it("refills at perMinute: after Retry-After seconds exactly one more call goes through", () => {
    const { l, advance } = limiter(6, 2); // one every 10 s
    refusal(l, "k");
    refusal(l, "k");
    const error = refusal(l, "k")!;
    expect(error.retryAfterSeconds).toBe(10);
    advance(9_999);
    expect(refusal(l, "k")?.retryAfterSeconds).toBe(1);
    advance(1);
    expect(refusal(l, "k")).toBeNull();
    expect(refusal(l, "k")).not.toBeNull();
  });

  it("refused calls cost nothing: hammering does not push the next token further away", () => {
    const { l, advance } = limiter(60, 1);
    refusal(l, "k");
    for (let i = 0; i < 100; i++) expect(refusal(l, "k")).not.toBeNull();
    advance(1_000);
    expect(refusal(l, "k")).toBeNull();
  });

  it("never holds more than the burst, however long a key was idle", () => {
    const { l, advance } = limiter(60, 2);
    advance(60 * 60 * 1000);
    expect([refusal(l, "k"), refusal(l, "k")]).toEqual([null, null]);
    expect(refusal(l, "k")).not.toBeNull();
  });

  it("keys are independent", () => {
    const { l } = limiter(60, 1);
    expect(refusal(l, "key:a")).toBeNull();
    expect(refusal(l, "key:a")).not.toBeNull();
    expect(refusal(l, "key:b")).toBeNull();
    expect(refusal(l, "user:a")).toBeNull();
  });

  it("Retry-After is a whole number of seconds, at least 1, for slow limits too", () => {
    const { l } = limiter(1, 1); // one a minute
    refusal(l, "k");
    expect(refusal(l, "k")!.retryAfterSeconds).toBe(60);
    const fast = limiter(6_000, 1).l; // a hundred a second
    refusal(fast, "k");
    expect(refusal(fast, "k")!.retryAfterSeconds).toBe(1);
  });

  it("memory stays bounded: full buckets of idle keys are dropped once there are many keys", () => {
    const { l, advance } = limiter(60, 1);
    for (let i = 0; i < 10_000; i++) l.take(`key:${i}`);
    advance(2_000); // every bucket is full again
    l.take("one more");
    const size = (l as unknown as { buckets: Map<string, unknown> }).buckets.size;
    expect(size).toBeLessThanOrEqual(1);
    // A dropped key starts again with a full burst, as it would have anyway.
    expect(refusal(l, "key:1")).toBeNull();
  });
});
