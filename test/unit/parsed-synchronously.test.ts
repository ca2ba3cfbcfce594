import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parsedSynchronously } from "@/server/api/routers/shared.types";
import { addProspectsInput } from "@/server/api/routers/campaign/campaign.types";
import { appendRowsInput, createListInput } from "@/server/api/routers/list/list.types";

// tRPC validates bulk inputs through parseAsync, which parsedSynchronously makes zod's parse:
// the same value for valid input, the same issues for invalid input.
const campaignId = "0f8fad5b-d9cb-4fb9-9a5d-6d7e1c7a0b11";
const cases: Array<[string, z.ZodType, unknown]> = [
  ["addProspects, valid", addProspectsInput, { campaignId, prospects: [{ email: "a@b.co", first_name: "Ada", custom_fields: { x: [1, { y: null }] } }, { linkedin_url: "https://www.linkedin.com/in/ada" }] }],
  ["addProspects, invalid fields", addProspectsInput, { campaignId: "nope", prospects: [{ email: 5, first_name: "a\u0000b" }, { headline: "\ud800" }] }],
  ["addProspects, empty", addProspectsInput, { campaignId, prospects: [] }],
  ["createList, valid", createListInput, { name: " Leads ", rows: [{ linkedin_url: "https://www.linkedin.com/in/x", profile_data: { a: 1 } }] }],
  ["createList, invalid", createListInput, { name: "", rows: [{ linkedin_url: 7 }] }],
  ["appendRows, invalid", appendRowsInput, { listId: campaignId, rows: "no" }],
];

describe("parsedSynchronously: parseAsync gives parse's answer", () => {
  it.each(cases)("%s", async (_name, schema, input) => {
    const expected = schema.safeParse(input);
    const actual = await schema.parseAsync(input).then(
      (data) => ({ success: true as const, data }),
      (error: z.ZodError) => ({ success: false as const, issues: error.issues }),
    );
    if (expected.success) expect(actual).toEqual({ success: true, data: expected.data });
    else expect(actual).toEqual({ success: false, issues: expected.error.issues });
  });

  it("an asynchronous schema is refused rather than half-checked", async () => {
    const schema = parsedSynchronously(z.object({ a: z.string().refine(async () => true) }));
    await expect(schema.parseAsync({ a: "x" })).rejects.toThrow(/async|Promise/i);
  });
});
