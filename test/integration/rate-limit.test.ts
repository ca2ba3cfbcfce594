// The rate limiter behind the 429s, counted in PostgreSQL (table rate_limits) so that every app
// process on the database enforces one limit. Time is never waited for: the end of a window is
// played by moving the window's stored end into the past, which is what the passing of time does.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { RateLimiter } from "@/server/domain/rate-limit";
import { DomainError } from "@/server/domain/errors";
import { domainErrorOf } from "@/server/api/http-status";
import { expectTrpcError } from "../helpers/foundation-assertions";
import { callerFor, closeTestDb, makeUser, testDb, testLimits } from "../helpers/context";
import { appDb } from "../helpers/reliability";
import { freePort } from "../../scripts/lib/database";
import { inSeparateProcesses } from "../helpers/processes";

afterAll(closeTestDb);

const uniqueName = () => `t-${randomUUID()}`;

function limiter(points: number, windowSeconds = 60, name = uniqueName()) {
  return new RateLimiter(testDb().pool, { name, points, windowSeconds });
}

/** "ok", or the refusal take() threw. */
async function outcome(l: RateLimiter, key: string): Promise<"ok" | DomainError> {
  try {
    await l.take(key);
    return "ok";
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
}

async function stored(l: RateLimiter, key: string) {
  const { rows } = await testDb().pool.query<{ points: number; expire: string }>("SELECT points, expire FROM rate_limits WHERE key = $1", [
    `${l.limit.name}:${key}`,
  ]);
  return rows[0] ? { points: rows[0].points, expire: Number(rows[0].expire) } : null;
}

/** The key's window ends now, as if windowSeconds had passed. */
async function endWindow(l: RateLimiter, key: string) {
  await testDb().pool.query("UPDATE rate_limits SET expire = $2 WHERE key = $1", [`${l.limit.name}:${key}`, Date.now() - 1]);
}

describe("RateLimiter (PostgreSQL store)", () => {
  it("lets `points` calls through in a window, then refuses with rate_limited and the seconds until it ends", async () => {
    const l = limiter(3, 60);
    expect([await outcome(l, "k"), await outcome(l, "k"), await outcome(l, "k")]).toEqual(["ok", "ok", "ok"]);
    const refused = (await outcome(l, "k")) as DomainError;
    expect(refused.kind).toBe("rate_limited");
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(refused.message).toMatch(/at most 3 a minute; retry in \d+ s/);
    // The count lives in the table, with the window's end a minute after the first call.
    const row = await stored(l, "k");
    expect(row!.points).toBe(4);
  });

  it("refused calls don't move the window's end: hammering never lengthens the wait", async () => {
    const l = limiter(1, 900);
    await outcome(l, "k");
    const before = await stored(l, "k");
    for (let i = 0; i < 50; i++) expect(await outcome(l, "k")).toBeInstanceOf(DomainError);
    expect((await stored(l, "k"))!.expire).toBe(before!.expire);
  });

  it("when the window ends the key starts again with its full allowance", async () => {
    const l = limiter(2, 900);
    await outcome(l, "k");
    await outcome(l, "k");
    expect(await outcome(l, "k")).toBeInstanceOf(DomainError);
    await endWindow(l, "k");
    expect([await outcome(l, "k"), await outcome(l, "k")]).toEqual(["ok", "ok"]);
    expect(await outcome(l, "k")).toBeInstanceOf(DomainError);
  });

  it("keys are independent, and so are limits with different names", async () => {
    const name = uniqueName();
    const a = limiter(1, 60, name);
    expect(await outcome(a, "key:a")).toBe("ok");
    expect(await outcome(a, "key:a")).toBeInstanceOf(DomainError);
    expect(await outcome(a, "key:b")).toBe("ok");
    expect(await outcome(limiter(1, 60), "key:a")).toBe("ok");
    // The same name is the same limit, whichever object counts it (as in another process).
    expect(await outcome(limiter(1, 60, name), "key:a")).toBeInstanceOf(DomainError);
  });

  it("giveBack returns one call; reset forgets the key", async () => {
    const l = limiter(1, 60);
    await outcome(l, "k");
    await l.giveBack("k");
    expect(await outcome(l, "k")).toBe("ok");
    expect(await outcome(l, "k")).toBeInstanceOf(DomainError);
    await l.reset("k");
    expect(await stored(l, "k")).toBeNull();
    expect(await outcome(l, "k")).toBe("ok");
  });

  it("the table is UNLOGGED: a counter's write needs no disk flush (docs/performance.md)", async () => {
    const { rows } = await testDb().pool.query<{ relpersistence: string }>("SELECT relpersistence FROM pg_class WHERE relname = 'rate_limits'");
    expect(rows).toEqual([{ relpersistence: "u" }]);
  });

  it("describes longer windows in minutes", async () => {
    const l = limiter(1, 900);
    await outcome(l, "k");
    expect(((await outcome(l, "k")) as DomainError).message).toMatch(/at most 1 in 15 minutes; retry in \d+ s/);
  });
});

describe("limits across processes", () => {
  it("two processes share one key's rate limit: together they get exactly `points` calls", async () => {
    const job = { mode: "take", databaseUrl: inject("databaseUrl"), name: uniqueName(), points: 10, key: "key:shared", calls: 10 };
    const [first, second] = await inSeparateProcesses([job, job]);
    const all = [...first!, ...second!];
    expect(all).toHaveLength(20);
    // Each process alone would allow 10 if the count were in its own memory.
    expect(all.filter((o) => o === "ok")).toHaveLength(10);
    expect(all.filter((o) => o === "rate_limited")).toHaveLength(10);
    const l = limiter(10, 3600, job.name);
    expect((await stored(l, "key:shared"))!.points).toBe(20);
  });
});

describe("when the database is away the limiter fails closed", () => {
  it("take rejects with the connection failure, which the API answers 503 with Retry-After", async () => {
    const u = new URL(inject("databaseUrl"));
    u.port = String(await freePort()); // nothing listens there
    const dead = appDb(u.toString(), { connectionTimeoutMillis: 1_000 });
    try {
      const l = new RateLimiter(dead.db.pool, { name: uniqueName(), points: 1_000, windowSeconds: 60 });
      const error = await l.take("k").then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).not.toBeNull();
      expect(domainErrorOf(error)).toMatchObject({ kind: "unavailable", retryAfterSeconds: 5 });

      // A signed-in user's write: the session needs no database, the limit is the first query.
      const user = await makeUser();
      const trpc = callerFor(user.id, dead.db, testLimits(1_000, dead.db));
      await expectTrpcError(trpc.list.create({ name: "not written" }), "SERVICE_UNAVAILABLE");
      expect(trpc.ctx.response.headers["Retry-After"]).toBe("5");
      expect(await testDb().prisma.list.count({ where: { userId: user.id } })).toBe(0);
    } finally {
      await dead.close();
    }
  });
});
