import type { Db } from "../db";
import { normalizeEmail } from "./identity";
import { hashedKey, RateLimiter } from "./rate-limit";
import { verifyCredentials } from "./users";

/** Failed sign-ins allowed per account (from any address) and per client address (for any account). */
export type SignInLimits = { perAccount: RateLimiter; perAddress: RateLimiter };

export function signInLimits(db: Db, config: { perAccount: number; perAddress: number; windowMinutes: number }, name = "signin"): SignInLimits {
  const windowSeconds = config.windowMinutes * 60;
  return {
    perAccount: new RateLimiter(db.pool, { name: `${name}-account`, points: config.perAccount, windowSeconds }),
    perAddress: new RateLimiter(db.pool, { name: `${name}-address`, points: config.perAddress, windowSeconds }),
  };
}

/**
 * Checks an email and password with password guessing throttled (OWASP API2): every attempt is
 * counted against its account and its client address before the password is checked, in the
 * shared store, so parallel guesses and guesses spread over several app instances are all
 * counted; a right password gives its count back. Past either limit the attempt is refused with
 * rate_limited (the password is not even checked) until that window ends.
 *
 * The wait is bounded: refused attempts don't lengthen a window, so after a flood the owner signs
 * in as soon as the window is over, and a successful sign-in clears the account's count.
 * An attacker who keeps failing from many addresses can keep delaying an account one window at a
 * time (the price of any per-account limit); docs/reliability.md says more.
 */
export async function signIn(db: Db, limits: SignInLimits, attempt: { email: string; password: string; address: string }) {
  // The key of the account as the user table would find it; hashed, so the table holds no addresses.
  const account = hashedKey(normalizeEmail(attempt.email) ?? attempt.email.trim().toLowerCase());
  await limits.perAddress.take(attempt.address);
  try {
    await limits.perAccount.take(account);
  } catch (error) {
    // Refused for the account: this address did not get to guess, so it is not charged. (If the
    // store failed instead, the original error is the one worth reporting.)
    await limits.perAddress.giveBack(attempt.address).catch(() => undefined);
    throw error;
  }
  const user = await verifyCredentials(db.prisma, attempt.email, attempt.password);
  if (user) await Promise.all([limits.perAccount.reset(account), limits.perAddress.giveBack(attempt.address)]);
  return user;
}
