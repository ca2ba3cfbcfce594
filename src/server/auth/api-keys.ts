import { createHash, randomBytes } from "node:crypto";
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
 * indexed lookup, so a wrong key is not told apart from a revoked one by timing.
 */
export async function authenticateApiKey(prisma: PrismaClient, key: string): Promise<{ userId: string; keyId: string } | null> {
  const row = await prisma.apiKey.findUnique({
    where: { keyHash: hashApiKey(key) },
    select: { id: true, userId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  // One write a minute at most per key keeps "last used" honest without a write per request.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { userId: row.userId, keyId: row.id };
}
