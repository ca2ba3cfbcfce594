// What a run says about itself once it has ended (httpStatus), and what the dialog says about
// background runs: waiting, resumed after a crash, cancelled.
import { describe, expect, it } from "vitest";
import { runHttpStatus } from "@/server/api/http-status";
import { isActive, summarizeRun, type RunRecord } from "@/components/import/run-summary";

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
