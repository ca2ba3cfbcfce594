// How the sign-in route turns next-auth's answer to a refused attempt into 429 / 503 with Retry-After.
import { describe, expect, it } from "vitest";
import { withRefusalStatus } from "@/server/auth/next-auth";

/** What next-auth 4's route handler answers a credentials sign-in that failed, when signIn() asked for JSON. */
const nextAuthJson = (error: string) =>
  new Response(JSON.stringify({ url: `http://localhost:3000/api/auth/error?error=${encodeURIComponent(error)}` }), {
    status: 401,
    headers: { "content-type": "application/json", "set-cookie": "next-auth.csrf-token=x" },
  });

describe("withRefusalStatus", () => {
  it("too many failures: 429 with Retry-After, the body and cookies kept", async () => {
    const response = await withRefusalStatus(nextAuthJson("rate_limited:840"));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("840");
    expect(response.headers.get("set-cookie")).toBe("next-auth.csrf-token=x");
    expect(((await response.json()) as { url: string }).url).toContain("error=rate_limited%3A840");
  });

  it("the database away: 503 with Retry-After", async () => {
    const response = await withRefusalStatus(nextAuthJson("unavailable:5"));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
  });

  it("a wrong password stays 401 without Retry-After; success and redirects are untouched", async () => {
    const wrong = await withRefusalStatus(nextAuthJson("CredentialsSignin"));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("retry-after")).toBeNull();
    const ok = new Response(JSON.stringify({ url: "http://localhost:3000/campaigns" }), { status: 200, headers: { "content-type": "application/json" } });
    expect((await withRefusalStatus(ok)).status).toBe(200);
    // A form post without JavaScript: next-auth redirects; the sign-in page explains the error.
    const redirect = new Response(null, { status: 302, headers: { location: "http://localhost:3000/api/auth/error?error=rate_limited%3A840" } });
    expect((await withRefusalStatus(redirect)).status).toBe(302);
  });
});
