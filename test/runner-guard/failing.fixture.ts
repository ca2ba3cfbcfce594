// A deliberately failing Vitest test, outside the suite's include (test/**/*.test.ts). The
// runner guard (scripts/test.ts) runs it through the suite's own global setup, which starts
// the database, and passes only when Vitest exits non-zero. Never fix this test.
import { expect, test } from "vitest";

test("the runner guard's fixture fails on purpose", () => {
  expect(1).toBe(2);
});
