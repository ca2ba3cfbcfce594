// Password guessing is throttled across app instances (OWASP API2), against two real `next start`
// servers on one database ("app" and "faultPage2": the fault setting only touches imports).
// The defaults are in force: 10 failures per account, 30 per client address, 15-minute windows.
import { randomBytes } from "node:crypto";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { hashedKey } from "../src/server/domain/rate-limit";
import { expect, test } from "./support/fixtures";
import { testPool } from "./support/db";
import { screenshotBothWidths } from "./support/screens";

// Every request here comes from 127.0.0.1; its address count is cleared around each test so that
// the other spec files' sign-ins (and their one deliberate failure) don't meet this file's.
const LOCAL_ADDRESS_KEY = "signin-address:127.0.0.1";
const clearLocalAddress = () => testPool().query("DELETE FROM rate_limits WHERE key = $1", [LOCAL_ADDRESS_KEY]);
test.beforeEach(clearLocalAddress);
test.afterEach(clearLocalAddress);

/** A credentials sign-in the way next-auth's signIn() makes it: CSRF token, then a form post asking for JSON. */
async function postSignIn(api: APIRequestContext, baseUrl: string, email: string, password: string, headers: Record<string, string> = {}) {
  const { csrfToken } = (await (await api.get(`${baseUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
  return api.post(`${baseUrl}/api/auth/callback/credentials`, {
    form: { email, password, csrfToken, json: "true", callbackUrl: `${baseUrl}/campaigns` },
    headers,
    maxRedirects: 0,
  });
}

test("failed sign-ins for one account are limited across both servers: 429 with Retry-After, the form says to wait, the owner gets in after it", async ({
  page,
  user,
  urls,
}) => {
  const servers = [urls.app, urls.faultPage2];
  const apis = await Promise.all(servers.map(() => playwrightRequest.newContext()));
  try {
    // Ten wrong passwords, alternating between the two servers: each is checked and refused.
    for (let i = 0; i < 10; i++) {
      const response = await postSignIn(apis[i % 2]!, servers[i % 2]!, user.email, `guess-${i}`);
      expect(response.status(), `guess ${i + 1}`).toBe(401);
    }
    // The eleventh, on either server, is refused before the password is looked at.
    for (const [i, base] of servers.entries()) {
      const refused = await postSignIn(apis[i]!, base, user.email, user.password);
      expect(refused.status()).toBe(429);
      const retryAfter = Number(refused.headers()["retry-after"]);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(new URL(((await refused.json()) as { url: string }).url).searchParams.get("error")).toBe(`rate_limited:${retryAfter}`);
    }
  } finally {
    await Promise.all(apis.map((api) => api.dispose()));
  }

  // The owner, with the right password, is told to wait rather than "wrong password".
  await page.goto("/signin");
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("textbox", { name: "Password" }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Too many" })).toHaveText(/^Too many failed sign-ins\. Please wait \d+ minutes? and try again\.$/);
  await expect(page).toHaveURL(/\/signin/);
  await screenshotBothWidths(page, "page-signin-rate-limited");

  // The wait is over (the window's stored end moved to now, as 15 minutes would): the owner signs in.
  const ended = await testPool().query("UPDATE rate_limits SET expire = $2 WHERE key = $1", [`signin-account:${hashedKey(user.email)}`, Date.now() - 1]);
  expect(ended.rowCount).toBe(1);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
});

test("a client can't dodge the limit per address by writing X-Forwarded-For (TRUST_PROXY unset)", async ({ urls }) => {
  const api = await playwrightRequest.newContext();
  try {
    // 30 failures, each for another made-up account and each claiming another address.
    for (let i = 0; i < 30; i++) {
      const email = `nobody-${randomBytes(4).toString("hex")}@example.com`;
      const response = await postSignIn(api, urls.app, email, "guess", { "X-Forwarded-For": `198.51.100.${i}` });
      expect(response.status(), `failure ${i + 1}`).toBe(401);
    }
    const refused = await postSignIn(api, urls.app, `nobody-${randomBytes(4).toString("hex")}@example.com`, "guess", { "X-Forwarded-For": "198.51.100.99" });
    expect(refused.status()).toBe(429);
    // Counted under the TCP peer's address, not a shared "unknown" and not the claimed ones.
    const { rows } = await testPool().query<{ key: string; points: number }>("SELECT key, points FROM rate_limits WHERE key LIKE 'signin-address:%'");
    expect(rows).toEqual([{ key: LOCAL_ADDRESS_KEY, points: 31 }]);
  } finally {
    await api.dispose();
  }
});
