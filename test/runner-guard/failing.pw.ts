// A deliberately failing Playwright test, outside e2e/. The runner guard runs it and passes
// only when Playwright exits non-zero. Never fix this test.
import { expect, test } from "@playwright/test";

test("the runner guard's fixture fails on purpose", () => {
  expect(1).toBe(2);
});
