import { describe, expect, it } from "vitest";
import { decideOutcome, emptyCounts, type ImportCounts, type ImportOutcome, type RunFacts } from "@/server/domain/import-list/outcome";
import { importHttpStatus } from "@/server/api/http-status";

const counts = (c: Partial<ImportCounts>): ImportCounts => {
  const full = { ...emptyCounts(), ...c };
  full.total = full.imported + full.duplicates + full.invalid + full.errors;
  return full;
};

const facts = (f: Partial<RunFacts>): RunFacts => ({
  counts: emptyCounts(),
  failedPage: null,
  batchesWritten: 0,
  batchesFailed: 0,
  campaignClosed: false,
  ...f,
});

describe("decideOutcome", () => {
  const cases: { name: string; run: RunFacts; outcome: ImportOutcome; status: number }[] = [
    // 200
    { name: "whole list read, rows inserted", run: facts({ counts: counts({ imported: 3 }), batchesWritten: 1 }), outcome: "complete", status: 200 },
    {
      name: "whole list read, one prospect among duplicates and invalid rows",
      run: facts({ counts: counts({ imported: 1, duplicates: 5, invalid: 4 }), batchesWritten: 1 }),
      outcome: "complete",
      status: 200,
    },
    {
      name: "some batches failed, others inserted",
      run: facts({ counts: counts({ imported: 500, errors: 500 }), batchesWritten: 2, batchesFailed: 1 }),
      outcome: "complete",
      status: 200,
    },
    // 206
    {
      name: "page 2 failed after rows were inserted",
      run: facts({ counts: counts({ imported: 1000 }), failedPage: 2, batchesWritten: 2 }),
      outcome: "partial",
      status: 206,
    },
    {
      name: "a later page failed after an all-invalid first page",
      run: facts({ counts: counts({ invalid: 1000 }), failedPage: 2 }),
      outcome: "partial",
      status: 206,
    },
    {
      name: "page 3 failed, one batch had failed before",
      run: facts({ counts: counts({ imported: 1500, errors: 500 }), failedPage: 3, batchesWritten: 4, batchesFailed: 1 }),
      outcome: "partial",
      status: 206,
    },
    {
      name: "the campaign left draft during the run",
      run: facts({ counts: counts({ imported: 500, errors: 700 }), batchesWritten: 2, campaignClosed: true }),
      outcome: "partial",
      status: 206,
    },
    // 422
    { name: "empty list", run: facts({}), outcome: "nothing_imported", status: 422 },
    { name: "every row invalid (nothing written)", run: facts({ counts: counts({ invalid: 7 }) }), outcome: "nothing_imported", status: 422 },
    {
      name: "every row a duplicate",
      run: facts({ counts: counts({ duplicates: 600 }), batchesWritten: 2 }),
      outcome: "nothing_imported",
      status: 422,
    },
    {
      name: "a mix of invalid rows and duplicates",
      run: facts({ counts: counts({ duplicates: 2, invalid: 3 }), batchesWritten: 1 }),
      outcome: "nothing_imported",
      status: 422,
    },
    {
      name: "one batch failed, the others were all duplicates",
      run: facts({ counts: counts({ duplicates: 500, errors: 500 }), batchesWritten: 2, batchesFailed: 1 }),
      outcome: "nothing_imported",
      status: 422,
    },
    {
      name: "every batch failed as far as the import saw, but the run record shows one committed (its answer was lost)",
      run: facts({ counts: counts({ imported: 500, errors: 500 }), batchesWritten: 2, batchesFailed: 2 }),
      outcome: "complete",
      status: 200,
    },
    // 500
    { name: "the first page read failed", run: facts({ failedPage: 1 }), outcome: "failed", status: 500 },
    {
      name: "every insert batch failed",
      run: facts({ counts: counts({ errors: 1200, invalid: 3 }), batchesWritten: 3, batchesFailed: 3 }),
      outcome: "failed",
      status: 500,
    },
    {
      name: "the only batch failed",
      run: facts({ counts: counts({ errors: 2 }), batchesWritten: 1, batchesFailed: 1 }),
      outcome: "failed",
      status: 500,
    },
    {
      name: "every batch failed, then a page read failed",
      run: facts({ counts: counts({ errors: 1000 }), failedPage: 2, batchesWritten: 2, batchesFailed: 2 }),
      outcome: "failed",
      status: 500,
    },
  ];

  it.each(cases)("$name → $outcome ($status)", ({ run, outcome, status }) => {
    expect(decideOutcome(run)).toBe(outcome);
    expect(importHttpStatus(decideOutcome(run))).toBe(status);
  });

  it("maps every outcome to its own status", () => {
    const outcomes: ImportOutcome[] = ["complete", "partial", "nothing_imported", "failed"];
    expect(outcomes.map(importHttpStatus)).toEqual([200, 206, 422, 500]);
  });
});
