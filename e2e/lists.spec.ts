import { writeFileSync } from "node:fs";
import { expect, test } from "./support/fixtures";
import { testPool } from "./support/db";
import { people, toCsv } from "./support/people";
import { screenshotBothWidths } from "./support/screens";

test("upload a CSV file with a column mapping; the list holds exactly its rows; rows page", async ({ signedIn: page, user }, testInfo) => {
  const rows = people(2345, "upload"); // three calls: 1000 + 1000 + 345
  const file = testInfo.outputPath("contacts-export.csv");
  writeFileSync(file, toCsv(rows));

  await page.goto("/lists");
  await page.getByRole("button", { name: "New list from CSV" }).click();
  const dialog = page.getByRole("dialog", { name: "New list from a CSV" });
  await expect(dialog.getByLabel("List name")).toBeFocused();
  await dialog.locator('input[type="file"]').setInputFiles(file);
  await expect(dialog.getByText("2,345 rows found, 8 columns.")).toBeVisible();
  await expect(dialog.getByLabel("List name")).toHaveValue("contacts-export");
  await dialog.getByLabel("List name").fill("Uploaded contacts");

  // Guessed from the headers; "Tagline" is not a usual name, so it is mapped by hand.
  await expect(dialog.getByRole("combobox", { name: "LinkedIn URL" })).toHaveValue("Profile URL");
  await expect(dialog.getByRole("combobox", { name: "Role" })).toHaveValue("Title");
  await expect(dialog.getByRole("combobox", { name: "Work email" })).toHaveValue("Email");
  await expect(dialog.getByRole("combobox", { name: "Headline" })).toHaveValue("");
  await dialog.getByRole("combobox", { name: "Headline" }).click();
  await page.getByRole("option", { name: "Tagline" }).click();
  await expect(dialog.getByRole("combobox", { name: "Headline" })).toHaveValue("Tagline");

  await screenshotBothWidths(page, "page-new-list-dialog");
  await dialog.getByRole("button", { name: "Create list" }).click();
  await expect(dialog).toBeHidden({ timeout: 60_000 });

  const listRow = page.getByRole("row").filter({ hasText: "Uploaded contacts" });
  await expect(listRow.getByTestId("list-row-count")).toHaveText("2,345");

  const { rows: stored } = await testPool().query<{ id: string; row_count: number; rows: number }>(
    `SELECT l.id, l.row_count, (SELECT count(*)::int FROM list_rows r WHERE r.list_id = l.id) AS rows FROM lists l JOIN users u ON u.id = l.user_id WHERE u.email = $1 AND l.name = 'Uploaded contacts'`,
    [user.email],
  );
  expect(stored).toEqual([expect.objectContaining({ row_count: 2345, rows: 2345 })]);
  const { rows: first } = await testPool().query<{ linkedin_url: string; profile_data: unknown }>(
    `SELECT linkedin_url, profile_data FROM list_rows WHERE list_id = $1 ORDER BY id LIMIT 1`,
    [stored[0]!.id],
  );
  expect(first[0]).toEqual({
    linkedin_url: rows[0]!.linkedin_url,
    profile_data: {
      firstName: rows[0]!.firstName,
      lastName: rows[0]!.lastName,
      currentCompany: rows[0]!.company,
      currentRole: rows[0]!.role,
      headline: rows[0]!.headline,
      enrichment: { work_email: rows[0]!.email },
    },
  });

  // The list's own page, with paging.
  await listRow.getByRole("link", { name: "Uploaded contacts" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Uploaded contacts" })).toBeVisible();
  await expect(page.getByTestId("list-total")).toHaveText("2,345 rows");
  await expect(page.getByText("Rows 1–50 of 2,345")).toBeVisible();
  await expect(page.getByRole("cell", { name: rows[0]!.linkedin_url!, exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Page 2", exact: true }).click();
  await expect(page.getByText("Rows 51–100 of 2,345")).toBeVisible();
  await screenshotBothWidths(page, "page-list-rows");
  await expect(page.getByRole("cell", { name: rows[50]!.linkedin_url!, exact: true })).toBeVisible();
});

test("paste a CSV, and create the demo list", async ({ signedIn: page, user }) => {
  await page.goto("/lists");
  await expect(page.getByText("No lists yet.")).toBeVisible();

  await page.getByRole("button", { name: "New list from CSV" }).click();
  const dialog = page.getByRole("dialog", { name: "New list from a CSV" });
  await dialog.getByLabel("List name").fill("Pasted <b>people</b>");
  await dialog.getByRole("tab", { name: "Paste CSV" }).click();
  await dialog.getByLabel("CSV text").fill("linkedin,email,name\nlinkedin.com/in/pasted-1,p1@example.com,Pat One\n,p2@example.com,Pat Two\n");
  await expect(dialog.getByText("2 rows found, 3 columns.")).toBeVisible();
  await expect(dialog.getByRole("combobox", { name: "Full name" })).toHaveValue("name");
  await dialog.getByRole("button", { name: "Create list" }).click();
  await expect(dialog).toBeHidden();
  // User text is shown as text, never as markup.
  const pasted = page.getByRole("row").filter({ hasText: "Pasted <b>people</b>" });
  await expect(pasted.getByTestId("list-row-count")).toHaveText("2");
  await screenshotBothWidths(page, "page-lists");

  await page.getByRole("button", { name: "Create demo list" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Demo list (250 people)" })).toBeVisible();
  await expect(page.getByTestId("list-total")).toHaveText("250 rows");
  const { rows } = await testPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM list_rows r JOIN lists l ON l.id = r.list_id JOIN users u ON u.id = l.user_id WHERE u.email = $1 AND l.name = 'Demo list (250 people)'`,
    [user.email],
  );
  expect(rows[0]!.n).toBe(250);
});
