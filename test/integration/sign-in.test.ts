// Password guessing is throttled (OWASP API2): failed sign-ins are limited per account and per
// client address, in the shared store, and the owner gets in again once the wait is over.
// The end of a window is played by moving its stored end into the past, never by waiting.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { signIn, signInLimits, type SignInLimits } from "@/server/domain/sign-in";
import { DomainError } from "@/server/domain/errors";
import { closeTestDb, makeUser, testDb } from "../helpers/context";
import { inSeparateProcesses } from "../helpers/processes";

afterAll(closeTestDb);

function limits(perAccount: number, perAddress: number) {
  const name = `t-${randomUUID()}`;
  return { name, limits: signInLimits(testDb(), { perAccount, perAddress, windowMinutes: 15 }, name) };
}

type Outcome = "signed_in" | "wrong" | DomainError;

async function attempt(l: SignInLimits, email: string, password: string, address = "203.0.113.7"): Promise<Outcome> {
  try {
    return (await signIn(testDb(), l, { email, password, address })) ? "signed_in" : "wrong";
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
}

const refused = (o: Outcome) => o instanceof DomainError && o.kind === "rate_limited";

/** Every window of this test's limits ends now, as if their 15 minutes had passed. */
async function endWindows(name: string) {
  await testDb().pool.query("UPDATE rate_limits SET expire = $2 WHERE key LIKE $1", [`${name}-%`, Date.now() - 1]);
}

describe("failed sign-ins per account", () => {
  it("the 4th attempt after 3 failures is refused, right password or not, with the wait; a flood doesn't lengthen it; after the wait the owner signs in", async () => {
    const user = await makeUser();
    const { name, limits: l } = limits(3, 1_000);
    for (let i = 0; i < 3; i++) expect(await attempt(l, user.email, `guess-${i}`)).toBe("wrong");

    const blocked = (await attempt(l, user.email, user.password)) as DomainError;
    expect(refused(blocked)).toBe(true);
    expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
    expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);

    // 60 more guesses from other addresses (a flood): all refused, without checking the password.
    const { rows: before } = await testDb().pool.query("SELECT expire FROM rate_limits WHERE key LIKE $1", [`${name}-account:%`]);
    const flood = await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(l, user.email, `flood-${i}`, `198.51.100.${i}`)));
    expect(flood.every(refused)).toBe(true);
    const { rows: after } = await testDb().pool.query("SELECT expire FROM rate_limits WHERE key LIKE $1", [`${name}-account:%`]);
    expect(after).toEqual(before); // the wait ends when it did before the flood

    await endWindows(name);
    expect(await attempt(l, user.email, user.password)).toBe("signed_in");
    // A successful sign-in clears the account's count: a later typo starts from zero.
    expect((await testDb().pool.query("SELECT 1 FROM rate_limits WHERE key LIKE $1", [`${name}-account:%`])).rowCount).toBe(0);
  });

  it("the account is found however the email is spelled, and other accounts are not affected", async () => {
    const [user, other] = await Promise.all([makeUser(), makeUser()]);
    const { limits: l } = limits(2, 1_000);
    expect(await attempt(l, user.email, "x")).toBe("wrong");
    expect(await attempt(l, `  ${user.email.toUpperCase()} `, "y")).toBe("wrong");
    expect(refused(await attempt(l, user.email, user.password))).toBe(true);
    expect(await attempt(l, other.email, other.password)).toBe("signed_in");
  });

  it("right passwords never count: ten sign-ins in a row with a limit of 2", async () => {
    const user = await makeUser();
    const { limits: l } = limits(2, 2);
    for (let i = 0; i < 10; i++) expect(await attempt(l, user.email, user.password)).toBe("signed_in");
  });

  it("parallel guesses are all counted: 20 at once with a limit of 3 check exactly 3 passwords", async () => {
    const user = await makeUser();
    const { limits: l } = limits(3, 1_000);
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(l, user.email, `p-${i}`, `192.0.2.${i}`)));
    expect(outcomes.filter((o) => o === "wrong")).toHaveLength(3);
    expect(outcomes.filter(refused)).toHaveLength(17);
  });

  it("an unknown email is limited like a real one (no hint which accounts exist)", async () => {
    const { limits: l } = limits(2, 1_000);
    const email = `nobody-${randomUUID()}@example.com`;
    expect([await attempt(l, email, "a"), await attempt(l, email, "b")]).toEqual(["wrong", "wrong"]);
    expect(refused(await attempt(l, email, "c"))).toBe(true);
  });
});

describe("failed sign-ins per client address", () => {
  it("an address that failed 3 times (on 3 accounts) is refused for any account; other addresses are not; the wait ends", async () => {
    const users = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser()]);
    const { name, limits: l } = limits(1_000, 3);
    const attacker = "203.0.113.50";
    for (let i = 0; i < 3; i++) expect(await attempt(l, users[i]!.email, "guess", attacker)).toBe("wrong");
    const blocked = (await attempt(l, users[3]!.email, users[3]!.password, attacker)) as DomainError;
    expect(refused(blocked)).toBe(true);
    expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
    // The owners, from their own addresses, are not affected.
    expect(await attempt(l, users[0]!.email, users[0]!.password, "198.51.100.1")).toBe("signed_in");
    await endWindows(name);
    expect(await attempt(l, users[3]!.email, users[3]!.password, attacker)).toBe("signed_in");
  });

  it("an address refused for a blocked account is not charged for it", async () => {
    const [locked, a, b, c] = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser()]);
    const { limits: l } = limits(1, 2);
    expect(await attempt(l, locked.email, "guess", "192.0.2.200")).toBe("wrong"); // the account is now at its limit
    // From my address: two refusals for the locked account, which must not use up my 2 failures...
    expect(refused(await attempt(l, locked.email, "x", "192.0.2.1"))).toBe(true);
    expect(refused(await attempt(l, locked.email, "x", "192.0.2.1"))).toBe(true);
    // ...which are all still there: two failures, then the address is refused.
    expect(await attempt(l, a.email, "typo", "192.0.2.1")).toBe("wrong");
    expect(await attempt(l, b.email, "typo", "192.0.2.1")).toBe("wrong");
    expect(refused(await attempt(l, c.email, c.password, "192.0.2.1"))).toBe(true);
  });
});

describe("across processes", () => {
  it("two processes guessing one account's password share its limit: 5 passwords checked in all", async () => {
    const user = await makeUser();
    const job = {
      mode: "signin",
      databaseUrl: inject("databaseUrl"),
      name: `t-${randomUUID()}`,
      perAccount: 5,
      perAddress: 1_000,
      email: user.email,
      password: "wrong password",
      address: "203.0.113.9",
      calls: 8,
    };
    const [a, b] = await inSeparateProcesses([job, job]);
    const all = [...a!, ...b!];
    expect(all.filter((o) => o === "wrong")).toHaveLength(5);
    expect(all.filter((o) => o === "rate_limited")).toHaveLength(11);
  });
});
