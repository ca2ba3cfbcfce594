import { z } from "zod";

// Read once, at start-up. A bad or missing value stops the process with one line naming it.
const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL"),
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters"),
  NEXTAUTH_URL: z.url().optional(),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
  // Per API key (or signed-in user): imports, and other writes, allowed a minute.
  RATE_LIMIT_IMPORTS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  // Fault injection for end-to-end tests: the 1-based page read of every import that fails. Off when unset.
  IMPORT_FAIL_PAGE: z.coerce.number().int().min(1).optional(),
});

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable (FOO= in a .env file) means unset: optional values take their default
  // instead of failing a number or URL check, and required ones are reported as missing.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const result = schema.safeParse(present);
  if (!result.success) {
    // Every bad name on one line, so a fresh set-up is fixed in one go. Values are never echoed: they may be secrets.
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join(".");
      return `${name} ${present[name] === undefined ? "is missing" : issue.message}`;
    });
    throw new Error(`Configuration error: ${[...new Set(problems)].join("; ")}`);
  }
  return result.data;
}

/**
 * The app's public origin, e.g. https://app.example.com: NEXTAUTH_URL, else http://localhost:$PORT
 * (what `npm run dev` and `npm start` give NEXTAUTH_URL when it is unset). The OpenAPI document's
 * server URL and the cross-site request guard use it. Read on its own so that it also works where
 * the rest of the configuration is absent (a build, a unit test).
 */
export function publicOrigin(source: Record<string, string | undefined> = process.env): string {
  const configured = source.NEXTAUTH_URL?.trim();
  const url = configured ? schema.shape.NEXTAUTH_URL.parse(configured) : undefined;
  return new URL(url ?? `http://localhost:${source.PORT?.trim() || "3000"}`).origin;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
