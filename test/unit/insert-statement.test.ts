// A list import's batch statement must be planned for each batch (see insert-prospects.ts): a
// named statement settles on a generic plan, and one made while the table was small makes every
// later batch scan the whole campaign. bench:reasons showed an import slowing down 2-3× that way.
// A call's prospects (no import run) are a named statement: the part a generic plan gets wrong
// never runs for them (test/integration/batch-plan.test.ts checks that on a real plan).
import { describe, expect, it } from "vitest";
import { insertStatement } from "@/server/domain/prospects/insert-prospects";

const campaignId = "00000000-0000-4000-8000-000000000000";
const counts = { imported: 0, duplicates: 0, invalid: 0, errors: 0, total: 0, repeated: 0, invalidReasons: { missing_linkedin_url: 0, placeholder_url: 0, not_a_profile_url: 0, missing_email: 0, malformed_email: 0 } };

describe("the batch statement", () => {
  it("of a list import is not a named (prepared once, generic-planned) statement", () => {
    const statement = insertStatement(campaignId, [], { importRun: { id: "00000000-0000-4000-8000-000000000001", counts } });
    expect(statement).not.toHaveProperty("name");
  });

  it("of a call's prospects is a named statement, parsed and planned once per connection", () => {
    expect(insertStatement(campaignId, [])).toHaveProperty("name");
  });
});
