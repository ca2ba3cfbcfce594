import { expect, test } from "./support/fixtures";
import { screenshotBothWidths } from "./support/screens";

test("pages carry a Content-Security-Policy with a fresh nonce on every response", async ({ page }) => {
  const first = await page.goto("/signin");
  const second = await page.goto("/signin");
  const policies = [first, second].map((r) => r?.headers()["content-security-policy"] ?? "");
  for (const policy of policies) expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(policies[0]).not.toBe(policies[1]);
  // Mantine's colour-scheme script carries the nonce, so the page runs under the policy (cleanConsole checks).
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
});

test("signed-out visitors go to sign-in and come back; a wrong password is refused; sign-out ends the session", async ({ page, user }) => {
  await page.goto("/lists");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Flists$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("textbox", { name: "Password" }).fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/signin/);
  await screenshotBothWidths(page, "page-signin-error");

  await page.getByRole("textbox", { name: "Password" }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/lists$/);
  await expect(page.getByRole("heading", { level: 1, name: "Lists" })).toBeVisible();
  await expect(page.getByRole("banner").getByText(user.email)).toBeVisible();

  // Keyboard: the main navigation is reachable and works.
  await page.getByRole("link", { name: "Settings" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings$/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/campaigns");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fcampaigns$/);

  // The API refuses the signed-out browser too.
  const response = await page.request.get("/api/campaigns");
  expect(response.status()).toBe(401);
});
