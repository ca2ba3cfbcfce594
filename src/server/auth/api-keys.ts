import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";
import type { PrismaClient } from "@/generated/prisma/client";
import { notFound } from "../domain/errors";

// Keys look like "oc_<24 random base62-ish chars>". Only a SHA-256 of the whole key is
// stored: keys are long random secrets, so a slow password hash adds nothing.
const PREFIX_LENGTH = 10;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function generateApiKey(): string {
  return `oc_${randomBytes(24).toString("base64url")}`;
}

export async function createApiKey(prisma: PrismaClient, userId: string, name: string) {
  const key = generateApiKey();
  const row = await prisma.apiKey.create({
    data: { userId, name, prefix: key.slice(0, PREFIX_LENGTH), keyHash: hashApiKey(key) },
    select: { id: true, name: true, prefix: true, createdAt: true },
  });
  return { ...row, key };
}

export function listApiKeys(prisma: PrismaClient, userId: string) {
  return prisma.apiKey.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

export async function revokeApiKey(prisma: PrismaClient, userId: string, keyId: string) {
  const { count } = await prisma.apiKey.updateMany({
    where: { id: keyId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) {
    const exists = await prisma.apiKey.count({ where: { id: keyId, userId } });
    if (!exists) throw notFound("API key");
  }
}

/**
 * The owner of a live key, or null. Every key, well-formed or not, costs one hash and one
 * indexed lookup, so a wrong key is not told apart from a revoked one by timing. Runs on every
 * Bearer request, so it is one named SQL statement rather than a Prisma query (a measured
 * 1 ms less per request; docs/performance.md).
 */
export async function authenticateApiKey(pool: Pick<pg.Pool, "query">, key: string): Promise<{ userId: string; keyId: string } | null> {
  const { rows } = await pool.query<{ id: string; user_id: string; revoked: boolean; stale: boolean }>({
    name: "authenticate-api-key",
    // One write a minute at most per key keeps "last used" honest without a write per request.
    text: `SELECT id, user_id, revoked_at IS NOT NULL AS revoked,
                  last_used_at IS NULL OR last_used_at < now() - interval '1 minute' AS stale
           FROM api_keys WHERE key_hash = $1`,
    values: [hashApiKey(key)],
  });
  const row = rows[0];
  if (!row || row.revoked) return null;
  if (row.stale) await pool.query({ name: "touch-api-key", text: "UPDATE api_keys SET last_used_at = now() WHERE id = $1", values: [row.id] });
  return { userId: row.user_id, keyId: row.id };
}
