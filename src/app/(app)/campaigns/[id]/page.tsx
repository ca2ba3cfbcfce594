import type { Metadata } from "next";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { CampaignPage } from "@/components/campaigns/campaign-page";
import { PROSPECTS_PAGE_SIZE } from "@/components/campaigns/labels";
import { serverTRPC } from "@/trpc/server";

export const metadata: Metadata = { title: "Campaign" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // The first screen arrives with the page. A failed prefetch is left out, and the client asks
  // again and shows the error as usual.
  const { trpc, queryClient } = serverTRPC();
  await Promise.all([
    queryClient.prefetchQuery(trpc.campaign.get.queryOptions({ campaignId: id })),
    queryClient.prefetchQuery(trpc.campaign.importRuns.queryOptions({ campaignId: id })),
    queryClient.prefetchQuery(trpc.campaign.prospects.queryOptions({ campaignId: id, page: 1, limit: PROSPECTS_PAGE_SIZE })),
  ]);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <CampaignPage campaignId={id} />
    </HydrationBoundary>
  );
}
