import type { Db } from "../db";
import type { Channel } from "./identity";
import { invalid, notFound } from "./errors";

export async function requireOwnedCampaign(db: Db, userId: string, campaignId: string) {
  const campaign = await db.prisma.campaign.findFirst({ where: { id: campaignId, userId } });
  if (!campaign) throw notFound("campaign");
  return campaign;
}

export function requireDraft(campaign: { status: string }) {
  if (campaign.status !== "draft") throw invalid(`campaign is ${campaign.status}: only draft campaigns accept prospects`);
}

type CampaignRow = Awaited<ReturnType<typeof requireOwnedCampaign>>;

export function campaignView(c: CampaignRow) {
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

/** draft → active. Takes the campaign's row lock, so it waits for an import batch in flight and none lands after it. */
export async function launchCampaign(db: Db, userId: string, campaignId: string) {
  const campaign = await requireOwnedCampaign(db, userId, campaignId);
  const { count } = await db.prisma.campaign.updateMany({
    where: { id: campaignId, userId, status: "draft" },
    data: { status: "active", updatedAt: new Date() },
  });
  if (count === 0) throw invalid(`campaign is ${campaign.status}: only a draft campaign can be launched`);
  return getCampaign(db, userId, campaignId);
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
