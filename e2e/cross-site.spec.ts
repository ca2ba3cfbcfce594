// The cross-site guard against the production server with a real next-auth session cookie:
// requests carrying the cookie but coming from another site, or a sibling subdomain, are
// refused (403) on REST and tRPC, with no body, a form body or JSON; the app's own page still
// launches the campaign.
import { createCampaignViaUi, expect, test } from "./support/fixtures";
import { campaignCounts } from "./support/db";

const FOREIGN: Record<string, Record<string, string>> = {
  "another site": { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  "a sibling subdomain": { origin: "https://evil.app.example", "sec-fetch-site": "same-site" },
  "no origin at all": {},
};

test("changes sent with the session cookie from elsewhere are refused; the app's own page launches", async ({ signedIn: page, baseURL }) => {
  const campaignId = await createCampaignViaUi(page, "Guarded campaign", "Email");
  const launch = `${baseURL}/api/campaigns/${campaignId}/launch`;
  const trpcLaunch = `${baseURL}/api/trpc/campaign.launch`;

  for (const [from, headers] of Object.entries(FOREIGN)) {
    const attempts = {
      "REST, no body": page.request.post(launch, { headers }),
      "REST, a form body": page.request.post(launch, { headers, form: { campaignId } }),
      "REST, JSON": page.request.post(launch, { headers, data: {} }),
      "tRPC, a form body": page.request.post(trpcLaunch, { headers, form: { campaignId } }),
      "tRPC, JSON": page.request.post(trpcLaunch, { headers, data: { campaignId } }),
    };
    for (const [what, attempt] of Object.entries(attempts)) {
      const res = await attempt;
      expect(res.status(), `${what} from ${from}: ${await res.text()}`).toBe(403);
    }
  }
  // The cookie was sent and valid: the same session reads the campaign, still a draft.
  const read = await page.request.get(`${baseURL}/api/campaigns/${campaignId}`);
  expect(read.status()).toBe(200);
  expect(((await read.json()) as { status: string }).status).toBe("draft");
  expect((await campaignCounts(campaignId)).status).toBe("draft");

  // The app's own page (a tRPC mutation from the browser) is not refused.
  await page.reload();
  await page.getByRole("button", { name: "Launch campaign" }).click();
  const confirm = page.getByRole("dialog", { name: "Launch this campaign?" });
  await confirm.getByRole("button", { name: "Launch", exact: true }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Active");
  expect((await campaignCounts(campaignId)).status).toBe("active");
});
