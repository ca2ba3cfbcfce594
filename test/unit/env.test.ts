import { describe, expect, it } from "vitest";
import { parseEnv } from "@/env";

const VALID = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/outreach?sslmode=disable",
  NEXTAUTH_SECRET: "a-secret-of-at-least-16-chars",
};

function failure(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("parseEnv accepted the configuration");
}

describe("parseEnv: valid configurations", () => {
  it("fills the defaults", () => {
    const env = parseEnv(VALID);
    expect(env).toMatchObject({ ...VALID, NODE_ENV: "development", DB_POOL_MAX: 10 });
    expect(env.NEXTAUTH_URL).toBeUndefined();
    expect(env.IMPORT_FAIL_PAGE).toBeUndefined();
    expect(env).toMatchObject({
      RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT: 10,
      RATE_LIMIT_SIGNIN_FAILURES_PER_ADDRESS: 30,
      RATE_LIMIT_SIGNIN_WINDOW_MINUTES: 15,
      TRUST_PROXY: 0, // X-Forwarded-For is not believed unless configured
    });
  });

  it("reads the sign-in limits and TRUST_PROXY, and refuses a negative hop count", () => {
    const env = parseEnv({ ...VALID, RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT: "5", RATE_LIMIT_SIGNIN_WINDOW_MINUTES: "30", TRUST_PROXY: "1" });
    expect(env).toMatchObject({ RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT: 5, RATE_LIMIT_SIGNIN_WINDOW_MINUTES: 30, TRUST_PROXY: 1 });
    expect(failure({ ...VALID, TRUST_PROXY: "-1" })).toMatch(/TRUST_PROXY/);
    expect(failure({ ...VALID, TRUST_PROXY: "yes" })).toMatch(/TRUST_PROXY/);
  });

  it("reads every value, coercing numbers", () => {
    const env = parseEnv({
      ...VALID,
      NODE_ENV: "production",
      NEXTAUTH_URL: "https://outreach.example.com",
      DB_POOL_MAX: "25",
      IMPORT_FAIL_PAGE: "2",
    });
    expect(env).toMatchObject({ NODE_ENV: "production", NEXTAUTH_URL: "https://outreach.example.com", DB_POOL_MAX: 25, IMPORT_FAIL_PAGE: 2 });
  });

  it("accepts postgres:// as well as postgresql://", () => {
    expect(parseEnv({ ...VALID, DATABASE_URL: "postgres://u:p@db:5432/app" }).DATABASE_URL).toBe("postgres://u:p@db:5432/app");
  });

  it("treats an empty optional value (FOO= in a .env file) as unset", () => {
    const env = parseEnv({ ...VALID, DB_POOL_MAX: "", IMPORT_FAIL_PAGE: "", NEXTAUTH_URL: " ", NODE_ENV: "" });
    expect(env.DB_POOL_MAX).toBe(10);
    expect(env.IMPORT_FAIL_PAGE).toBeUndefined();
    expect(env.NEXTAUTH_URL).toBeUndefined();
    expect(env.NODE_ENV).toBe("development");
  });

  it("ignores unrelated variables", () => {
    expect(parseEnv({ ...VALID, PATH: "/usr/bin", HOME: "/root" })).not.toHaveProperty("PATH");
  });
});

describe("parseEnv: a missing or bad value is one clear line naming it", () => {
  it.each([
    ["DATABASE_URL missing", { NEXTAUTH_SECRET: VALID.NEXTAUTH_SECRET }, "DATABASE_URL", /DATABASE_URL is missing/],
    ["DATABASE_URL empty", { ...VALID, DATABASE_URL: "" }, "DATABASE_URL", /DATABASE_URL is missing/],
    ["DATABASE_URL not postgres", { ...VALID, DATABASE_URL: "mysql://root@localhost/app" }, "DATABASE_URL", /DATABASE_URL must be a postgres/],
    ["DATABASE_URL not a URL", { ...VALID, DATABASE_URL: "localhost:5432" }, "DATABASE_URL", /DATABASE_URL must be a postgres/],
    ["NEXTAUTH_SECRET missing", { DATABASE_URL: VALID.DATABASE_URL }, "NEXTAUTH_SECRET", /NEXTAUTH_SECRET is missing/],
    ["NEXTAUTH_SECRET too short", { ...VALID, NEXTAUTH_SECRET: "short" }, "NEXTAUTH_SECRET", /NEXTAUTH_SECRET must be at least 16 characters/],
    ["NEXTAUTH_URL not a URL", { ...VALID, NEXTAUTH_URL: "not a url" }, "NEXTAUTH_URL", /NEXTAUTH_URL /],
    ["NODE_ENV unknown", { ...VALID, NODE_ENV: "staging" }, "NODE_ENV", /NODE_ENV /],
    ["DB_POOL_MAX not a number", { ...VALID, DB_POOL_MAX: "lots" }, "DB_POOL_MAX", /DB_POOL_MAX /],
    ["DB_POOL_MAX too small", { ...VALID, DB_POOL_MAX: "1" }, "DB_POOL_MAX", /DB_POOL_MAX /],
    ["DB_POOL_MAX too large", { ...VALID, DB_POOL_MAX: "1000" }, "DB_POOL_MAX", /DB_POOL_MAX /],
    ["DB_POOL_MAX not an integer", { ...VALID, DB_POOL_MAX: "2.5" }, "DB_POOL_MAX", /DB_POOL_MAX /],
    ["IMPORT_FAIL_PAGE zero", { ...VALID, IMPORT_FAIL_PAGE: "0" }, "IMPORT_FAIL_PAGE", /IMPORT_FAIL_PAGE /],
  ])("%s", (_label, source, name, pattern) => {
    const message = failure(source);
    expect(message).toMatch(/^Configuration error: /);
    expect(message).toMatch(pattern);
    expect(message).toContain(name);
    expect(message.split("\n")).toHaveLength(1);
    // Names only the broken variable, never another one.
    for (const other of ["DATABASE_URL", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "NODE_ENV", "DB_POOL_MAX", "IMPORT_FAIL_PAGE"]) {
      if (other !== name) expect(message).not.toContain(other);
    }
  });

  it("does not echo the bad value, which may be a secret", () => {
    const message = failure({ ...VALID, NEXTAUTH_SECRET: "hunter2" });
    expect(message).not.toContain("hunter2");
    const url = failure({ ...VALID, DATABASE_URL: "mysql://admin:topsecret@db/app" });
    expect(url).not.toContain("topsecret");
  });

  it("names every broken variable, still on one line", () => {
    const message = failure({});
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toContain("DATABASE_URL is missing");
    expect(message).toContain("NEXTAUTH_SECRET is missing");
  });
});
