import bcrypt from "bcryptjs";
import type { PrismaClient } from "@/generated/prisma/client";
import { normalizeEmail } from "./identity";
import { conflict, invalid } from "./errors";

const BCRYPT_COST = 10;

export async function createUser(
  prisma: PrismaClient,
  input: { email: string; password: string; name?: string },
): Promise<{ id: string; email: string }> {
  const email = normalizeEmail(input.email);
  if (!email) throw invalid("email does not look like an address");
  if (input.password.length < 8) throw invalid("password must be at least 8 characters");
  const existing = await prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw conflict(`a user with email ${email} already exists`);
  const passwordHash = await bcrypt.hash(input.password, BCRYPT_COST);
  try {
    return await prisma.user.create({ data: { email, name: input.name ?? null, passwordHash }, select: { id: true, email: true } });
  } catch (error) {
    // Two sign-ups with one email at once: the unique index decides, and the loser hears "conflict", not a 500.
    if ((error as { code?: unknown }).code === "P2002") throw conflict(`a user with email ${email} already exists`);
    throw error;
  }
}

// Hashes against a fixed hash when the user is unknown, so the answer takes as long either way.
const DUMMY_HASH = bcrypt.hashSync("not-a-real-password", BCRYPT_COST);

export async function verifyCredentials(
  prisma: PrismaClient,
  emailInput: string,
  password: string,
): Promise<{ id: string; email: string; name: string | null } | null> {
  const email = normalizeEmail(emailInput);
  const user = email ? await prisma.user.findUnique({ where: { email } }) : null;
  const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
  return user && ok ? { id: user.id, email: user.email, name: user.name } : null;
}
