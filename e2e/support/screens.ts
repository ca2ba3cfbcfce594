import path from "node:path";
import type { Page } from "@playwright/test";

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, "..", "..", "test-results", "screenshots");

const WIDTHS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** Saves the page at desktop and phone size as <name>-desktop.png and <name>-phone.png, then restores the size. */
export async function screenshotBothWidths(page: Page, name: string) {
  const original = page.viewportSize();
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    // Two frames: the media queries re-render, then layout settles.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${size.name}.png`), animations: "disabled" });
  }
  if (original) await page.setViewportSize(original);
}
