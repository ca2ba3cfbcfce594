import { z } from "zod";

// Read once, at start-up. A bad or missing value stops the process with one line naming it.
const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL"),
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters"),
  NEXTAUTH_URL: z.url().optional(),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
  // Fault injection for end-to-end tests: the 1-based page read of every import that fails. Off when unset.
  IMPORT_FAIL_PAGE: z.coerce.number().int().min(1).optional(),
});

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = issue.path.join(".");
    const value = source[name];
    throw new Error(`Configuration error: ${name} ${value === undefined || value === "" ? "is missing" : issue.message}`);
  }
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
