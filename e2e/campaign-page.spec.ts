// The campaign page is server-rendered; its prospects table pages through the URL (?page=N).
import type { Locator } from "@playwright/test";
import { createCampaignViaUi, createListViaApi, expect, postAsApp, test } from "./support/fixtures";
import { people } from "./support/people";

const names = async (table: Locator) => table.locator("tbody tr td:nth-child(2)").allInnerTexts();

test("the prospects table pages through ?page=N: every prospect once, a reload keeps the page, no console errors", async ({ signedIn: page, baseURL }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const listId = await createListViaApi(page.request, baseURL!, "Sixty people", people(60, "pages"));
  const campaignId = await createCampaignViaUi(page, "Paged campaign", "LinkedIn");
  expect((await postAsApp(page.request, `${baseURL}/api/campaigns/${campaignId}/leads/import-from-list`, { listId })).status()).toBe(200);
  await page.reload();

  const table = page.getByRole("table", { name: "Prospects" });
  await expect(page.getByText("Prospects 1–25 of 60")).toBeVisible();
  await expect(page.getByRole("link", { name: "Page 1", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("link", { name: "Previous page" })).toHaveCount(0);
  const seen = await names(table);
  expect(seen).toHaveLength(25);

  await page.getByRole("link", { name: "Page 2", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/campaigns/${campaignId}\\?page=2$`));
  await expect(page.getByText("Prospects 26–50 of 60")).toBeVisible();
  await expect(table.locator("tbody tr").first().locator("td").first()).toHaveText("26");
  seen.push(...(await names(table)));

  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page.getByText("Prospects 51–60 of 60")).toBeVisible();
  await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
  seen.push(...(await names(table)));
  // Sixty different people, none shown twice and none left out.
  expect(new Set(seen).size).toBe(60);

  await page.reload();
  await expect(page.getByText("Prospects 51–60 of 60")).toBeVisible();
  await page.getByRole("link", { name: "Previous page" }).click();
  await expect(page.getByText("Prospects 26–50 of 60")).toBeVisible();

  // A page past the end shows the last page.
  await page.goto(`/campaigns/${campaignId}?page=9`);
  await expect(page.getByText("Prospects 51–60 of 60")).toBeVisible();
  expect(errors).toEqual([]);
});
