import { expect, test } from "./support/fixtures";
import { screenshotBothWidths } from "./support/screens";

test("an API key created in settings is shown once, works with REST, and stops working when revoked", async ({ signedIn: page, baseURL, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(page.getByText("No API keys yet.")).toBeVisible();

  await page.getByLabel("New key name").fill("e2e script");
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByTestId("new-api-key");
  await expect(shown).toHaveText(/^oc_\S{20,}$/);
  const key = (await shown.innerText()).trim();

  await screenshotBothWidths(page, "page-settings-new-key");
  await page.getByRole("button", { name: "Copy key" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  // The key works against the REST API, without any cookie.
  const bearer = { Authorization: `Bearer ${key}` };
  const created = await fetch(`${baseURL}/api/lists`, {
    method: "POST",
    headers: { ...bearer, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "Made with a key", rows: [{ linkedin_url: "https://www.linkedin.com/in/someone" }] }),
  });
  expect(created.status).toBe(200);
  const listed = await fetch(`${baseURL}/api/lists`, { headers: bearer });
  expect(listed.status).toBe(200);
  const body = (await listed.json()) as { lists: { name: string; rowCount: number }[] };
  expect(body.lists).toEqual([expect.objectContaining({ name: "Made with a key", rowCount: 1 })]);

  // Shown once: after dismissing (or reloading) only the prefix is left.
  await page.getByRole("button", { name: "I have saved it" }).click();
  await expect(shown).toHaveCount(0);
  await page.reload();
  const row = page.getByTestId("api-key-row").filter({ hasText: "e2e script" });
  await expect(row).toContainText(`${key.slice(0, 10)}…`);
  await expect(row).not.toContainText(key);
  await expect(row).toContainText("Active");
  await expect(row).not.toContainText("Never"); // last used is recorded

  await row.getByRole("button", { name: "Revoke key e2e script" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke this key?" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText("Revoked");

  const refused = await fetch(`${baseURL}/api/lists`, { headers: bearer });
  expect(refused.status).toBe(401);
});
