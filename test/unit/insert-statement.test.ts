// The batch statement must be planned for each batch (see insert-prospects.ts): a named statement
// settles on a generic plan, and one made while the table was small makes every later batch scan
// the whole campaign. bench:reasons showed an import slowing down 2-3× that way.
import { describe, expect, it } from "vitest";
import { insertStatement } from "@/server/domain/prospects/insert-prospects";

describe("the batch statement", () => {
  it("is not a named (prepared once, generic-planned) statement", () => {
    const statement = insertStatement("00000000-0000-4000-8000-000000000000", []);
    expect(statement).not.toHaveProperty("name");
  });
});
