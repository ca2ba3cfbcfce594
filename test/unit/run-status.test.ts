// What a run says about itself once it has ended (httpStatus), and what the dialog says about
// background runs: waiting, resumed after a crash, cancelled.
import { describe, expect, it } from "vitest";
import { runHttpStatus } from "@/server/api/http-status";
import { describePreview, describeSkipped, isActive, summarizeRun, type RunRecord } from "@/components/import/run-summary";
import { emptyInvalidReasons } from "@/server/domain/skip-reasons";

const run = (over: Partial<RunRecord>): RunRecord => ({
  id: "r",
  listId: "l",
  listName: "List",
  status: "running",
  listTotal: 2_000,
  total: 1_000,
  imported: 900,
  duplicates: 50,
  invalid: 50,
  errors: 0,
  resumedCount: 0,
  cancelRequested: false,
  invalidReasons: { ...emptyInvalidReasons(), placeholder_url: 50 },
  duplicateReasons: { already_in_campaign: 50, repeated_in_list: 0 },
  ...over,
});

describe("runHttpStatus: what the synchronous call would have answered", () => {
  it.each([
    ["complete", 200],
    ["partial", 206],
    ["nothing_imported", 422],
    ["failed", 500],
    ["cancelled", 206],
    ["queued", null],
    ["running", null],
  ] as const)("%s → %s", (status, http) => {
    expect(runHttpStatus(status)).toBe(http);
  });
});

describe("the dialog's words for background runs", () => {
  it("queued and running are active; ended runs are not", () => {
    expect(["queued", "running"].map((status) => isActive(run({ status: status as RunRecord["status"] })))).toEqual([true, true]);
    expect(isActive(run({ status: "cancelled" }))).toBe(false);
  });

  it("a resumed run says so, while it runs and after it completes", () => {
    expect(summarizeRun(run({ resumedCount: 1 }), "linkedin").lines.join(" ")).toMatch(/another one resumed it after the last saved batch\. Nothing was lost/);
    expect(summarizeRun(run({ status: "complete", resumedCount: 2 }), "linkedin").lines.join(" ")).toMatch(/\(2 times\)/);
    expect(summarizeRun(run({}), "linkedin").lines.join(" ")).not.toMatch(/resumed/);
  });

  it("cancelling, then cancelled: imported so far, with Retry", () => {
    expect(summarizeRun(run({ cancelRequested: true }), "linkedin").title).toBe("Cancelling…");
    const cancelled = summarizeRun(run({ status: "cancelled", cancelRequested: true }), "linkedin");
    expect(cancelled).toMatchObject({ title: "Cancelled. Imported so far: 900 prospects", retry: true, finished: true });
  });
});

describe("the dialog's words for why rows are skipped", () => {
  const reasons = (placeholders: number, withoutUrl: number, already: number, repeated: number) => ({
    invalid: placeholders + withoutUrl,
    invalidReasons: { ...emptyInvalidReasons(), placeholder_url: placeholders, missing_linkedin_url: withoutUrl },
    duplicateReasons: { already_in_campaign: already, repeated_in_list: repeated },
  });
  it("the preview of the demo list, as the issue words it", () => {
    expect(describePreview({ imported: 2250, total: 2500, ...reasons(100, 25, 125, 0) }, "linkedin")).toBe(
      "2,250 new · 125 already in this campaign · 125 invalid (100 placeholders, 25 without a URL)",
    );
  });
  it("leaves out what is 0, and says one in the singular", () => {
    expect(describeSkipped({ ...reasons(1, 0, 0, 3), errors: 0 }, "linkedin")).toBe("3 repeated in the list · 1 invalid (1 placeholder)");
    expect(describeSkipped({ ...reasons(0, 0, 0, 0), errors: 2 }, "linkedin")).toBe("2 errors");
    expect(describePreview({ imported: 0, total: 0, ...reasons(0, 0, 0, 0) }, "email")).toBe("This list is empty: there is nothing to import.");
  });
  it("an email campaign names its own reasons", () => {
    const counts = { invalid: 3, invalidReasons: { ...emptyInvalidReasons(), missing_email: 2, malformed_email: 1 }, duplicateReasons: { already_in_campaign: 0, repeated_in_list: 0 } };
    expect(describeSkipped(counts, "email")).toBe("3 invalid (2 without an email, 1 malformed email)");
  });
});
