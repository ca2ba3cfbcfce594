import { describe, expect, it } from "vitest";
import { api, makeUser, testDb, useRestServer } from "../helpers/context";

const server = useRestServer();

describe("import over REST, end to end", () => {
  it("creates a list and a campaign, imports, and the database holds what the counts say", async () => {
    const user = await makeUser();
    const rows = [
      { linkedin_url: "https://www.linkedin.com/in/ada", profile_data: { firstName: "Ada", lastName: "L", enrichment: { work_email: "ada@x.io" } } },
      { linkedin_url: "linkedin.com/in/ADA/", profile_data: { firstName: "Ada" } },
      { linkedin_url: "imported-123", profile_data: {} },
    ];
    const list = await api(server, user.apiKey, "POST", "/lists", { name: "L", rows });
    expect(list.status).toBe(200);
    const campaign = await api(server, user.apiKey, "POST", "/campaigns", { name: "C", channel: "linkedin" });
    expect(campaign.status).toBe(200);
    const res = await api(server, user.apiKey, "POST", `/campaigns/${campaign.body.id}/leads/import-from-list`, { listId: list.body.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 1, duplicates: 1, invalid: 1, errors: 0, total: 3 });
    const count = await testDb().prisma.prospect.count({ where: { campaignId: campaign.body.id } });
    expect(count).toBe(1);
  });
});
