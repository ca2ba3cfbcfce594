// axe-core (through @axe-core/playwright) on every page and on every state of the import
// dialog: no critical, serious or moderate violation. Every rule axe ships runs (WCAG A/AA and
// its best practices, such as one banner landmark); none is disabled. Contrast is fixed in the
// theme (src/components/theme.ts), not by excluding elements.
import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import type { PoolClient } from "pg";
import { createCampaignViaUi, createListViaApi, expect, postAsApp, signIn, test } from "./support/fixtures";
import { someoneWaitsOn, testPool } from "./support/db";
import { chooseList, importDialog, startImport, waitForState } from "./support/import-dialog";
import { people } from "./support/people";

const BLOCKING = new Set(["critical", "serious", "moderate"]);

// Each test walks many screens and axe reads every node of each: more time than the default
// (on a busy two-core machine one axe pass over a page took up to a minute).
test.describe.configure({ timeout: 420_000 });

/** Runs axe on the whole page and fails with a readable list of what it found. */
async function expectAccessible(page: Page, where: string) {
  // A refresh of the page's server components can replace <title> in the middle of axe's pass.
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations
    .filter((v) => BLOCKING.has(v.impact ?? ""))
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.replace(/\s+/g, " ")}`).join("\n")}`);
  expect(found, `axe on ${where}`).toEqual([]);
}

/** A modal fades and moves in; axe must see it at rest, or it measures contrast through the fade. */
async function settled(dialog: Locator) {
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveCSS("opacity", "1");
}

test("pages: sign-in, campaigns, a campaign, lists, a list, settings (desktop and phone)", async ({ page, user, baseURL }) => {
  await page.goto("/signin");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await expectAccessible(page, "/signin");
  // A failed sign-in shows an alert.
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("textbox", { name: "Password" }).fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await expectAccessible(page, "/signin with an error");

  await signIn(page, user);
  await expect(page.getByText("No campaigns yet.")).toBeVisible();
  await expectAccessible(page, "/campaigns, empty");

  const listId = await createListViaApi(page.request, baseURL!, "Axe people", people(60, "axe"));
  const campaignId = await createCampaignViaUi(page, "Axe campaign", "LinkedIn");
  const imported = await postAsApp(page.request, `${baseURL}/api/campaigns/${campaignId}/leads/import-from-list`, { listId });
  expect(imported.status()).toBe(200);
  await page.reload();
  await expect(page.getByText("Prospects 1–25 of 60")).toBeVisible();
  await expectAccessible(page, "a campaign with prospects and history");

  await page.getByRole("button", { name: "Launch campaign" }).click();
  const confirm = page.getByRole("dialog", { name: "Launch this campaign?" });
  await settled(confirm);
  await expectAccessible(page, "the launch confirmation");
  await confirm.getByRole("button", { name: "Launch" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Active");
  await expectAccessible(page, "an active campaign");

  await page.goto("/campaigns");
  await expect(page.getByRole("link", { name: "Axe campaign" })).toBeVisible();
  await expectAccessible(page, "/campaigns with a campaign");

  await page.goto("/lists");
  await expect(page.getByRole("link", { name: "Axe people" })).toBeVisible();
  await expectAccessible(page, "/lists");
  await page.getByRole("button", { name: "New list from CSV" }).click();
  const upload = page.getByRole("dialog", { name: "New list from a CSV" });
  await settled(upload);
  await expectAccessible(page, "the CSV upload dialog");
  await page.keyboard.press("Escape");
  await expect(upload).toBeHidden();

  await page.goto(`/lists/${listId}`);
  await expect(page.getByText("Rows 1–50 of 60")).toBeVisible();
  await expectAccessible(page, "a list's rows");

  await page.goto("/settings");
  await page.getByLabel("New key name").fill("axe key");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("new-api-key")).toBeVisible();
  await expectAccessible(page, "/settings with a new key");

  // The phone layout: the navigation behind the burger.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/campaigns/${campaignId}`);
  await expect(page.getByText("Prospects 1–25 of 60")).toBeVisible();
  await expectAccessible(page, "a campaign on a phone");
  await page.getByRole("button", { name: "Open navigation" }).click();
  await expect(page.getByRole("link", { name: "Lists" })).toBeVisible();
  await expectAccessible(page, "the phone navigation, open");
});

test("the import dialog in each state: open, list picked, running, complete, nothing imported", async ({ signedIn: page, baseURL }) => {
  await createListViaApi(page.request, baseURL!, "Axe big list", people(1500, "axe-run"));
  const campaignId = await createCampaignViaUi(page, "Axe import", "LinkedIn");

  await page.getByRole("button", { name: "Import from list" }).click();
  const dialog = importDialog(page);
  await settled(dialog);
  await expectAccessible(page, "the import dialog, open");
  await chooseList(dialog, page, "Axe big list");
  await expect(dialog.getByTestId("chosen-list-rows")).toHaveText("This list has 1,500 rows.");
  await expectAccessible(page, "the import dialog, list picked");

  // Running: the test holds the campaign row, which every insert batch locks first, so the run
  // stays at its start until the test lets go.
  const hold: PoolClient = await testPool().connect();
  try {
    await hold.query("BEGIN");
    // NO KEY UPDATE: the run record's foreign key to the campaign still goes through; the batch's FOR UPDATE waits.
    await hold.query("SELECT id FROM campaigns WHERE id = $1 FOR NO KEY UPDATE", [campaignId]);
    await dialog.getByRole("button", { name: "Start import" }).click();
    await waitForState(dialog, "running");
    await expect.poll(() => someoneWaitsOn("FOR UPDATE")).toBe(true);
    await expectAccessible(page, "the import dialog, running");
    // Closed while it runs: the page shows the running import.
    await dialog.getByRole("button", { name: "Close", exact: true }).click();
    // Once its closing transition is over: axe would otherwise read the fading dialog's colours.
    await expect(dialog).toBeHidden();
    await expect(page.getByText("An import is running")).toBeVisible();
    await expectAccessible(page, "the campaign page with an import running");
    await page.getByRole("button", { name: "Show progress" }).click();
    await settled(dialog);
  } finally {
    await hold.query("ROLLBACK");
    hold.release();
  }

  await waitForState(dialog, "complete");
  await expect(dialog.getByTestId("import-title")).toHaveText("Imported 1,500 prospects");
  await expectAccessible(page, "the import dialog, complete (200)");

  await dialog.getByRole("button", { name: "Import another list" }).click();
  await chooseList(dialog, page, "Axe big list");
  await dialog.getByRole("button", { name: "Start import" }).click();
  await waitForState(dialog, "nothing_imported");
  await expectAccessible(page, "the import dialog, nothing imported (422)");
});

test("the import dialog when a run is partial (206) or failed (500)", async ({ signedIn: page, urls }) => {
  await createListViaApi(page.request, urls.app, "Axe partial list", people(1500, "axe-partial"));
  const partialId = await createCampaignViaUi(page, "Axe partial", "LinkedIn");
  // The fault-injection servers share the database and the session (see import.spec.ts).
  await page.goto(`${urls.faultPage2}/campaigns/${partialId}`);
  const dialog = await startImport(page, "Axe partial list", 1500, /LinkedIn campaigns need/);
  await waitForState(dialog, "partial");
  await expectAccessible(page, "the import dialog, partial (206)");

  const failedId = await createCampaignViaUi(page, "Axe failed", "Email");
  await page.goto(`${urls.faultPage1}/campaigns/${failedId}`);
  await startImport(page, "Axe partial list", 1500, /Email campaigns need/);
  await waitForState(dialog, "failed");
  await expectAccessible(page, "the import dialog, failed (500)");
});
