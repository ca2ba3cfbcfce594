import type { Locator, Page } from "@playwright/test";
import type { PoolClient } from "pg";
import { createCampaignViaUi, createListViaApi, expect, postAsApp, test } from "./support/fixtures";
import { campaignCounts, runById, runsOf, someoneWaitsOn, testPool } from "./support/db";
import {
  chooseList,
  countsOnScreen,
  downloadSkippedCsv,
  importDialog,
  prospectCountOnPage,
  runIdOnScreen,
  startImport,
  waitForState,
  type ScreenCounts,
} from "./support/import-dialog";
import { mixedList, people, person, type Expected } from "./support/people";
import { screenshotBothWidths } from "./support/screens";
import { PAGE_SIZE } from "../src/server/domain/import-list/read-pages";

const LINKEDIN_RULE = /LinkedIn campaigns need a real LinkedIn profile URL/;
const EMAIL_RULE = /Email campaigns need a work email/;

/** What the dialog shows equals the run record, and the campaign holds exactly the prospects it counts. */
async function expectScreenEqualsDatabase(page: Page, dialog: Locator, campaignId: string, status: string, prospectsBefore: number) {
  const screen = await countsOnScreen(dialog);
  const run = await runById(await runIdOnScreen(dialog));
  expect(run).toMatchObject({
    status,
    list_total: screen.listTotal,
    total: screen.total,
    imported: screen.imported,
    duplicates: screen.duplicates,
    invalid: screen.invalid,
    errors: screen.errors,
  });
  expect(screen.imported + screen.duplicates + screen.invalid + screen.errors).toBe(screen.total);
  const stored = await campaignCounts(campaignId);
  expect(stored.prospects).toBe(prospectsBefore + screen.imported);
  expect(stored.stats).toBe(stored.prospects);
  // The page's count refreshes when the import finishes.
  await expect(page.getByTestId("prospect-count")).toHaveAttribute("data-count", String(stored.prospects));
  // …and so does its history.
  const row = page.locator(`[data-testid="import-run-row"][data-run-id="${run.id}"]`);
  await expect(row.getByTestId("run-imported")).toHaveText(screen.imported.toLocaleString("en-US"));
  await expect(row.getByTestId("run-duplicates")).toHaveText(screen.duplicates.toLocaleString("en-US"));
  return screen;
}

const withoutListTotal = ({ listTotal: _, ...counts }: ScreenCounts) => counts;

test("import into a LinkedIn and an email campaign: the screen equals the database, and a second import is all duplicates (422)", async ({
  signedIn: page,
  baseURL,
}) => {
  const mixed = mixedList("mix");
  await createListViaApi(page.request, baseURL!, "Mixed people", mixed.rows);
  const againId = await createListViaApi(page.request, baseURL!, "Good people again", mixed.rows.slice(0, 20));

  // The list repeats 5 people (respelled), and holds 5 placeholder URLs and 7 rows without an email.
  const cases: { channel: "LinkedIn" | "Email"; rule: RegExp; expected: Expected; skipped: string; reasons: Record<string, number> }[] = [
    {
      channel: "LinkedIn",
      rule: LINKEDIN_RULE,
      expected: mixed.linkedin,
      skipped: "5 repeated in the list · 5 invalid (5 placeholders)",
      reasons: { repeated_in_list: 5, placeholder_url: 5 },
    },
    {
      channel: "Email",
      rule: EMAIL_RULE,
      expected: mixed.email,
      skipped: "5 repeated in the list · 7 invalid (7 without an email)",
      reasons: { repeated_in_list: 5, missing_email: 7 },
    },
  ];
  for (const { channel, rule, expected, skipped, reasons } of cases) {
    const campaignId = await createCampaignViaUi(page, `${channel} campaign`, channel);
    await expect(page.getByText("No imports yet.")).toBeVisible();
    await expect(page.getByText("No prospects yet.")).toBeVisible();
    expect(await prospectCountOnPage(page)).toBe(0);

    if (channel === "LinkedIn") {
      await page.getByRole("button", { name: "Import from list" }).click();
      await chooseList(importDialog(page), page, "Mixed people");
      await expect(importDialog(page).getByText(rule)).toBeVisible();
      await screenshotBothWidths(page, "import-1-pick");
      await page.keyboard.press("Escape");
      await expect(importDialog(page)).toBeHidden();
    }

    // The preview shows before Start import, and the import then does exactly that.
    const dialog = await startImport(page, "Mixed people", expected.total, rule, `${expected.imported} new · ${skipped}`);
    await waitForState(dialog, "complete");
    await expect(dialog.getByTestId("import-title")).toHaveText(`Imported ${expected.imported} prospects`);
    await expect(dialog.getByTestId("import-title")).toBeFocused(); // focus moved with the state, inside the dialog
    await expect(dialog.getByTestId("import-reasons")).toHaveText(`Skipped: ${skipped}`);
    // The skipped rows download from the dialog: every one with its reason, repeats naming their earlier row.
    const csv = await downloadSkippedCsv(page, dialog);
    expect(csv).toHaveLength(expected.duplicates + expected.invalid);
    const byReason: Record<string, number> = {};
    for (const record of csv) byReason[record.reason!] = (byReason[record.reason!] ?? 0) + 1;
    expect(byReason).toEqual(reasons);
    for (const record of csv.filter((r) => r.reason === "repeated_in_list")) expect(Number(record.repeats_row_id)).toBeLessThan(Number(record.list_row_id));
    // The import history says the same, with the same download.
    const historyRow = page.locator(`[data-testid="import-run-row"][data-run-id="${await runIdOnScreen(dialog)}"]`);
    await expect(historyRow.getByTestId("run-reasons")).toHaveText(skipped);
    await expect(historyRow.getByRole("link", { name: "Download skipped rows (CSV)" })).toHaveAttribute("href", `/api/imports/${await runIdOnScreen(dialog)}/skipped.csv`);
    const screen = await expectScreenEqualsDatabase(page, dialog, campaignId, "complete", 0);
    expect(withoutListTotal(screen)).toEqual(expected);
    if (channel === "LinkedIn") await screenshotBothWidths(page, "import-3-complete");

    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(`Prospects 1–25 of ${expected.imported}`)).toBeVisible();
    if (channel === "LinkedIn") await screenshotBothWidths(page, "page-campaign");

    // The same people again, all valid for this channel: nothing new, every row a duplicate.
    // Picked with the keyboard only.
    await page.getByRole("button", { name: "Import from list" }).click();
    await expect(dialog.getByRole("combobox", { name: "List" })).toBeFocused();
    await page.keyboard.type("again");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect(dialog.getByTestId("chosen-list-rows")).toHaveText("This list has 20 rows.");
    await dialog.getByRole("button", { name: "Start import" }).focus();
    await page.keyboard.press("Enter");
    await waitForState(dialog, "nothing_imported");
    await expect(dialog.getByTestId("import-title")).toHaveText("Nothing imported");
    await expect(dialog.getByText("Every row is already in this campaign: all duplicates.")).toBeVisible();
    const again = await expectScreenEqualsDatabase(page, dialog, campaignId, "nothing_imported", expected.imported);
    expect(withoutListTotal(again)).toEqual({ total: 20, imported: 0, duplicates: 20, invalid: 0, errors: 0 });
    if (channel === "LinkedIn") await screenshotBothWidths(page, "import-5-nothing-imported");

    // Tab stays inside the open dialog.
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      expect(await dialog.evaluate((node) => node.contains(document.activeElement))).toBe(true);
    }

    // The REST endpoint is the same procedure: 422 with the counts.
    const rest = await postAsApp(page.request, `${baseURL}/api/campaigns/${campaignId}/leads/import-from-list`, { listId: againId });
    expect(rest.status()).toBe(422);
    expect(await rest.json()).toMatchObject({ imported: 0, duplicates: 20, invalid: 0, errors: 0, total: 20, outcome: "nothing_imported" });
    expect((await campaignCounts(campaignId)).prospects).toBe(expected.imported);
  }
});

test("live progress: the dialog follows the run record after every batch, also after closing it and reloading the page", async ({
  signedIn: page,
  baseURL,
}) => {
  await createListViaApi(page.request, baseURL!, "Big list", people(1500, "live"));
  const campaignId = await createCampaignViaUi(page, "Live campaign", "LinkedIn");
  const parking = await postAsApp(page.request, `${baseURL}/api/campaigns`, { name: "Parking", channel: "email" });
  const parkingId = ((await parking.json()) as { id: string }).id;

  // The run is held after page 1 (two batches) with a lock the test takes in the database, not
  // with anything in the app. The next prospect ids are known, since nothing else inserts
  // prospects meanwhile: page 1's rows take the next PAGE_SIZE ids, so the test inserts rows with
  // the ids after those (into another campaign) and leaves its transaction open. The third
  // batch's insert then waits on that transaction, because ON CONFLICT must know whether those
  // ids will exist; when the test rolls back, it goes on with the same ids.
  const hold: PoolClient = await testPool().connect();
  let holding = false;
  try {
    const { rows } = await hold.query<{ next: string }>(
      "SELECT (CASE WHEN is_called THEN last_value + 1 ELSE last_value END)::text AS next FROM prospects_id_seq",
    );
    const firstHeld = BigInt(rows[0]!.next) + BigInt(PAGE_SIZE);
    await hold.query("BEGIN");
    holding = true;
    await hold.query(
      `INSERT INTO prospects (id, campaign_id, dedupe_key, source)
       SELECT g, $1, 'held-' || g, 'api' FROM generate_series($2::bigint, $2::bigint + 4999) AS g`,
      [parkingId, firstHeld.toString()],
    );

    const dialog = await startImport(page, "Big list", 1500, LINKEDIN_RULE);
    await expect.poll(() => someoneWaitsOn("INSERT INTO prospects")).toBe(true);
    await expect.poll(async () => (await runsOf(campaignId))[0]?.imported).toBe(1000);
    await waitForState(dialog, "running");
    await expect(dialog.getByTestId("rows-read")).toHaveText("1,000 of 1,500");
    await expect(dialog.getByTestId("count-imported")).toHaveText("1,000");
    await expect(dialog.getByTestId("import-title")).toHaveText("Importing…");
    await expect(dialog.getByRole("progressbar")).toHaveAttribute("aria-valuenow", /^66/);
    await expect(page.getByTestId("prospect-count")).toHaveAttribute("data-count", "1000"); // follows the batches
    await screenshotBothWidths(page, "import-2-running");

    // Closing the dialog leaves the run going; the page says so.
    await dialog.getByRole("button", { name: "Close", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("“Big list”: 1,000 of 1,500 rows read.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Launch campaign" })).toBeDisabled();

    // A reload starts from the run record alone.
    await page.reload();
    await expect(page.getByText("“Big list”: 1,000 of 1,500 rows read.")).toBeVisible();
    await page.getByRole("button", { name: "Show progress" }).click();
    await waitForState(dialog, "running");
    await expect(dialog.getByTestId("rows-read")).toHaveText("1,000 of 1,500");

    await hold.query("ROLLBACK");
    holding = false;

    await waitForState(dialog, "complete");
    await expect(dialog.getByTestId("import-title")).toHaveText("Imported 1,500 prospects");
    const screen = await expectScreenEqualsDatabase(page, dialog, campaignId, "complete", 0);
    expect(screen).toEqual({ total: 1500, listTotal: 1500, imported: 1500, duplicates: 0, invalid: 0, errors: 0 });
    expect((await campaignCounts(parkingId)).prospects).toBe(0);
  } finally {
    if (holding) await hold.query("ROLLBACK").catch(() => undefined);
    hold.release();
  }
});

test("a partial run (206) shows what was imported so far, and Retry completes it", async ({ signedIn: page, urls }) => {
  const listId = await createListViaApi(page.request, urls.app, "Fifteen hundred", people(1500, "partial"));
  const campaignId = await createCampaignViaUi(page, "Partial campaign", "LinkedIn");

  // The faultPage2 server fails page read 2 of every import. It shares the database and the
  // session secret, and cookies are scoped to the host, not the port: the same session works there.
  await page.goto(`${urls.faultPage2}/campaigns/${campaignId}`);
  const dialog = await startImport(page, "Fifteen hundred", 1500, LINKEDIN_RULE);
  await waitForState(dialog, "partial");
  await expect(dialog.getByTestId("import-title")).toHaveText("Imported so far: 1,000 prospects");
  await expect(dialog.getByText("The import stopped after reading 1,000 of 1,500 rows")).toBeVisible();
  await expect(dialog.getByText("Rows already imported will count as duplicates.")).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Retry" })).toBeVisible();
  const partial = await expectScreenEqualsDatabase(page, dialog, campaignId, "partial", 0);
  expect(partial).toEqual({ total: 1000, listTotal: 1500, imported: 1000, duplicates: 0, invalid: 0, errors: 0 });
  await screenshotBothWidths(page, "import-4-partial");

  // The REST endpoint on that server answers 206 with partial: true.
  const other = await postAsApp(page.request, `${urls.faultPage2}/api/campaigns`, { name: "REST partial", channel: "linkedin" });
  const otherId = ((await other.json()) as { id: string }).id;
  const rest = await postAsApp(page.request, `${urls.faultPage2}/api/campaigns/${otherId}/leads/import-from-list`, { listId });
  expect(rest.status()).toBe(206);
  expect(await rest.json()).toMatchObject({ partial: true, outcome: "partial", imported: 1000, total: 1000 });
  expect((await campaignCounts(otherId)).prospects).toBe(1000);

  // Retry once reads work again: the normal server, same database. The dialog reopens on the
  // partial run, because the latest run of the campaign needs a retry.
  await page.goto(`${urls.app}/campaigns/${campaignId}`);
  await page.getByRole("button", { name: "Import from list" }).click();
  await waitForState(dialog, "partial");
  await expect(dialog.getByTestId("import-title")).toHaveText("Imported so far: 1,000 prospects");
  await dialog.getByRole("button", { name: "Retry" }).click();
  await waitForState(dialog, "complete");
  await expect(dialog.getByTestId("import-title")).toHaveText("Imported 500 prospects");
  const retried = await expectScreenEqualsDatabase(page, dialog, campaignId, "complete", 1000);
  expect(retried).toEqual({ total: 1500, listTotal: 1500, imported: 500, duplicates: 1000, invalid: 0, errors: 0 });
  expect((await campaignCounts(campaignId)).prospects).toBe(1500);
  await expect(page.getByTestId("run-status")).toHaveText(["Complete", "Partial"]);
});

test("a failed run (500) is a plain error with Retry", async ({ signedIn: page, urls }) => {
  const listId = await createListViaApi(page.request, urls.app, "Unreadable list", people(10, "failed"));
  const campaignId = await createCampaignViaUi(page, "Failed campaign", "Email");

  // The faultPage1 server fails the first page read of every import.
  await page.goto(`${urls.faultPage1}/campaigns/${campaignId}`);
  const dialog = await startImport(page, "Unreadable list", 10, EMAIL_RULE);
  await waitForState(dialog, "failed");
  await expect(dialog.getByTestId("import-title")).toHaveText("The import failed");
  await expect(dialog.getByText("The list could not be read, so nothing was imported.")).toBeVisible();
  const failed = await expectScreenEqualsDatabase(page, dialog, campaignId, "failed", 0);
  expect(failed).toEqual({ total: 0, listTotal: 10, imported: 0, duplicates: 0, invalid: 0, errors: 0 });
  await screenshotBothWidths(page, "import-6-failed");

  const firstRun = await runIdOnScreen(dialog);
  await dialog.getByRole("button", { name: "Retry" }).click();
  await expect(dialog.getByTestId("import-state")).not.toHaveAttribute("data-run-id", firstRun);
  await waitForState(dialog, "failed");
  await expect(page.getByTestId("run-status")).toHaveText(["Failed", "Failed"]);
  expect((await runsOf(campaignId)).map((r) => r.status)).toEqual(["failed", "failed"]);

  const rest = await postAsApp(page.request, `${urls.faultPage1}/api/campaigns/${campaignId}/leads/import-from-list`, { listId });
  expect(rest.status()).toBe(500);
  expect(await rest.json()).toMatchObject({ outcome: "failed", imported: 0, total: 0 });
  expect((await campaignCounts(campaignId)).prospects).toBe(0);
});

test("nothing imported says why: an empty list, every row invalid", async ({ signedIn: page, baseURL }) => {
  const empty = await postAsApp(page.request, `${baseURL}/api/lists`, { name: "Empty list" });
  expect(empty.status()).toBe(200);
  await createListViaApi(
    page.request,
    baseURL!,
    "Placeholders only",
    Array.from({ length: 4 }, (_, i) => person(i, "placeholder", { linkedin_url: `imported-row-${i}` })),
  );
  const campaignId = await createCampaignViaUi(page, "Strict campaign", "LinkedIn");

  const dialog = await startImport(page, "Empty list", 0, LINKEDIN_RULE);
  await waitForState(dialog, "nothing_imported");
  await expect(dialog.getByText("The list is empty.")).toBeVisible();
  await expectScreenEqualsDatabase(page, dialog, campaignId, "nothing_imported", 0);

  // Back to the picker in the same dialog: focus goes to the list field, not out of the dialog.
  await dialog.getByRole("button", { name: "Import another list" }).click();
  await expect(dialog.getByRole("combobox", { name: "List" })).toBeFocused();
  await chooseList(dialog, page, "Placeholders only");
  await dialog.getByRole("button", { name: "Start import" }).click();
  await waitForState(dialog, "nothing_imported");
  await expect(dialog.getByText(/^Every row is invalid\. LinkedIn campaigns need a real LinkedIn profile URL/)).toBeVisible();
  const screen = await expectScreenEqualsDatabase(page, dialog, campaignId, "nothing_imported", 0);
  expect(screen).toEqual({ total: 4, listTotal: 4, imported: 0, duplicates: 0, invalid: 4, errors: 0 });
});

test("a launched campaign offers no import", async ({ signedIn: page, baseURL }) => {
  const listId = await createListViaApi(page.request, baseURL!, "Some people", people(3, "launched"));
  const campaignId = await createCampaignViaUi(page, "Launched campaign", "Email");
  await expect(page.getByRole("button", { name: "Import from list" })).toBeVisible();

  await page.getByRole("button", { name: "Launch campaign" }).click();
  const confirm = page.getByRole("dialog", { name: "Launch this campaign?" });
  await confirm.getByRole("button", { name: "Launch", exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByTestId("campaign-status")).toHaveText("Active");
  await expect(page.getByTestId("imports-closed")).toContainText("imports are closed");
  await expect(page.getByRole("button", { name: "Import from list" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("campaign-status")).toHaveText("Active");
  await expect(page.getByRole("button", { name: "Import from list" })).toHaveCount(0);
  expect((await campaignCounts(campaignId)).status).toBe("active");

  await page.goto("/campaigns");
  const listed = page.getByRole("row").filter({ hasText: "Launched campaign" });
  await expect(listed).toContainText("Active");
  await screenshotBothWidths(page, "page-campaigns");

  // The API agrees: only drafts take an import.
  const rest = await postAsApp(page.request, `${baseURL}/api/campaigns/${campaignId}/leads/import-from-list`, { listId });
  expect(rest.status()).toBe(400);
  expect((await runsOf(campaignId)).length).toBe(0);
});
