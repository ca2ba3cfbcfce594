import type { Campaign } from "@/generated/prisma/client";
import type { Db } from "../db";
import type { Channel } from "./identity";
import { invalid, notFound } from "./errors";

// Every call about a campaign starts here, so it is one named SQL statement rather than a
// Prisma query: a measured 0.8 ms less per call (docs/performance.md). Same row shape as Prisma's.
const OWNED_CAMPAIGN_SQL = `
SELECT id, user_id AS "userId", name, channel, status, prospect_count AS "prospectCount",
       created_at AS "createdAt", updated_at AS "updatedAt"
FROM campaigns WHERE id = $1 AND user_id = $2`;

export async function requireOwnedCampaign(db: Db, userId: string, campaignId: string): Promise<Campaign> {
  const { rows } = await db.pool.query<Campaign>({ name: "owned-campaign", text: OWNED_CAMPAIGN_SQL, values: [campaignId, userId] });
  // Missing and foreign campaigns answer alike, so ids can't be probed.
  if (!rows[0]) throw notFound("campaign");
  return rows[0];
}

export function requireDraft(campaign: { status: string }) {
  if (campaign.status !== "draft") throw invalid(`campaign is ${campaign.status}: only draft campaigns accept prospects`);
}

export function campaignView(c: Campaign) {
  return {
    id: c.id,
    name: c.name,
    channel: c.channel,
    status: c.status,
    stats: { prospectCount: c.prospectCount },
    createdAt: c.createdAt,
  };
}

export async function createCampaign(db: Db, userId: string, input: { name: string; channel: Channel }) {
  return campaignView(await db.prisma.campaign.create({ data: { userId, name: input.name, channel: input.channel } }));
}

export async function listCampaigns(db: Db, userId: string) {
  const rows = await db.prisma.campaign.findMany({ where: { userId }, orderBy: { createdAt: "desc" } });
  return rows.map(campaignView);
}

export async function getCampaign(db: Db, userId: string, campaignId: string) {
  return campaignView(await requireOwnedCampaign(db, userId, campaignId));
}

/**
 * draft → active, in one UPDATE. It takes the campaign's row lock, so it waits for an import
 * batch in flight, and no batch can land after it (each batch checks the status under the same
 * lock). The stats returned are the ones that UPDATE saw: the count at the launch's commit.
 */
const LAUNCH_SQL = `
UPDATE campaigns SET status = 'active', updated_at = clock_timestamp()
WHERE id = $1 AND user_id = $2 AND status = 'draft'
RETURNING id, user_id AS "userId", name, channel, status, prospect_count AS "prospectCount",
          created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function launchCampaign(db: Db, userId: string, campaignId: string) {
  const campaign = await requireOwnedCampaign(db, userId, campaignId);
  const { rows } = await db.pool.query<Campaign>(LAUNCH_SQL, [campaignId, userId]);
  if (!rows[0]) throw invalid(`campaign is ${campaign.status}: only a draft campaign can be launched`);
  return campaignView(rows[0]);
}

export async function listProspects(db: Db, userId: string, campaignId: string, page: number, limit: number) {
  const campaign = await requireOwnedCampaign(db, userId, campaignId);
  const rows = await db.prisma.prospect.findMany({
    where: { campaignId },
    orderBy: { id: "asc" },
    skip: (page - 1) * limit,
    take: limit,
  });
  return {
    prospects: rows.map((p) => ({
      id: p.id.toString(),
      email: p.email,
      linkedin_url: p.linkedinUrl,
      first_name: p.firstName,
      last_name: p.lastName,
      name: p.name,
      company: p.company,
      position: p.position,
      headline: p.headline,
      custom_fields: p.customFields as Record<string, unknown>,
      source: p.source,
      source_ref: p.sourceRef,
      created_at: p.createdAt,
    })),
    total: campaign.prospectCount,
    page,
    limit,
  };
}
