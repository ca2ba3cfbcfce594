import { readFile } from "node:fs/promises";
import Papa from "papaparse";
import { expect, type Locator, type Page } from "@playwright/test";

export type ScreenCounts = { total: number; listTotal: number; imported: number; duplicates: number; invalid: number; errors: number };

export const importDialog = (page: Page) => page.getByRole("dialog", { name: "Import prospects from a list" });

/**
 * Opens the dialog, picks the list by typing part of its name, checks its row count, the rule
 * and (if given) the preview shown before anything is written, and starts.
 */
export async function startImport(page: Page, listName: string, expectRows: number, rule: RegExp, preview?: string) {
  await page.getByRole("button", { name: "Import from list" }).click();
  const dialog = importDialog(page);
  await expect(dialog).toBeVisible();
  await chooseList(dialog, page, listName);
  await expect(dialog.getByTestId("chosen-list-rows")).toHaveText(`This list has ${expectRows.toLocaleString("en-US")} ${expectRows === 1 ? "row" : "rows"}.`);
  await expect(dialog.getByText(rule)).toBeVisible();
  if (preview !== undefined) await expect(dialog.getByTestId("import-preview")).toHaveText(preview);
  await dialog.getByRole("button", { name: "Start import" }).click();
  return dialog;
}

/** Downloads the run's skipped rows from the dialog's link, as a person would, and parses the file. */
export async function downloadSkippedCsv(page: Page, dialog: Locator): Promise<Record<string, string>[]> {
  const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("link", { name: "Download skipped rows (CSV)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^skipped-rows-[0-9a-f-]+\.csv$/);
  const text = new TextDecoder().decode(await readFile(await download.path()));
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

export async function chooseList(dialog: Locator, page: Page, listName: string) {
  const select = dialog.getByRole("combobox", { name: "List" });
  await select.click();
  await select.fill(listName.slice(0, Math.max(3, Math.floor(listName.length / 2))));
  await page.getByRole("option", { name: listName, exact: true }).click();
}

export async function waitForState(dialog: Locator, state: string) {
  await expect(dialog.getByTestId("import-state")).toHaveAttribute("data-state", state, { timeout: 60_000 });
}

const num = async (locator: Locator) => Number((await locator.innerText()).replace(/[^0-9]/g, ""));

export async function countsOnScreen(dialog: Locator): Promise<ScreenCounts> {
  const [read, listTotal] = (await dialog.getByTestId("rows-read").innerText()).split(" of ").map((s) => Number(s.replace(/[^0-9]/g, "")));
  return {
    total: read!,
    listTotal: listTotal!,
    imported: await num(dialog.getByTestId("count-imported")),
    duplicates: await num(dialog.getByTestId("count-duplicates")),
    invalid: await num(dialog.getByTestId("count-invalid")),
    errors: await num(dialog.getByTestId("count-errors")),
  };
}

export async function runIdOnScreen(dialog: Locator): Promise<string> {
  const id = await dialog.getByTestId("import-state").getAttribute("data-run-id");
  if (!id) throw new Error("the dialog shows no run");
  return id;
}

export async function prospectCountOnPage(page: Page): Promise<number> {
  return Number(await page.getByTestId("prospect-count").getAttribute("data-count"));
}
