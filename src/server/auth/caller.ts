import type { Db } from "../db";
import { authenticateApiKey } from "./api-keys";

export type Caller =
  | { kind: "user"; userId: string; via: "session" }
  | { kind: "user"; userId: string; via: "api_key"; keyId: string }
  | { kind: "anonymous" }
  // A Bearer header was sent and is wrong: never fall back to the cookie.
  | { kind: "rejected"; reason: string };

/** What an anonymous call to anything but sign-in is told (401). */
export const SIGN_IN_REQUIRED = "sign in or send Authorization: Bearer <API key>";

/** Who is calling: a Bearer key when the header is present, the session otherwise. */
export async function resolveCaller(
  db: Db,
  authorization: string | null,
  sessionUserId: () => Promise<string | null>,
): Promise<Caller> {
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const user = match ? await authenticateApiKey(db.pool, match[1]!) : null;
    if (!user) return { kind: "rejected", reason: match ? "invalid or revoked API key" : "malformed Authorization header" };
    return { kind: "user", userId: user.userId, via: "api_key", keyId: user.keyId };
  }
  const userId = await sessionUserId();
  return userId ? { kind: "user", userId, via: "session" } : { kind: "anonymous" };
}
