import type { Metadata } from "next";
import Link from "next/link";
import { dehydrate, hashKey, HydrationBoundary } from "@tanstack/react-query";
import { CampaignActions } from "@/components/campaigns/campaign-actions";
import { Badge } from "@/components/campaigns/badge";
import { ImportRunsTable } from "@/components/campaigns/import-runs-table";
import { ProspectsTable } from "@/components/campaigns/prospects-table";
import { CHANNEL_LABEL, PROSPECTS_PAGE_SIZE, STATUS_COLOR, statusLabel } from "@/components/campaigns/labels";
import styles from "@/components/campaigns/campaign.module.css";
import { plural } from "@/components/format";
import { serverTRPC } from "@/trpc/server";

export const metadata: Metadata = { title: "Campaign" };

/**
 * A campaign: a server component. The heading, the import history and the page of prospects
 * (?page=N) are HTML from the server; only the actions and the import dialog are a client island
 * (CampaignActions), which refreshes this page when a run moves or the campaign launches.
 */
export default async function Page({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ page?: string | string[] }> }) {
  const { id } = await params;
  const requested = Number((await searchParams).page ?? 1);
  const page = Number.isSafeInteger(requested) && requested >= 1 ? requested : 1;
  const { trpc, queryClient } = serverTRPC();
  const settle = <T,>(promise: Promise<T>) => promise.then((data) => ({ data, error: null }), (error: unknown) => ({ data: null, error: message(error) }));

  const [campaign, runs, firstTry] = await Promise.all([
    settle(queryClient.fetchQuery(trpc.campaign.get.queryOptions({ campaignId: id }))),
    // The island polls the runs through TanStack Query: it starts from this copy (HydrationBoundary).
    settle(queryClient.fetchQuery(trpc.campaign.importRuns.queryOptions({ campaignId: id }))),
    settle(queryClient.fetchQuery(trpc.campaign.prospects.queryOptions({ campaignId: id, page, limit: PROSPECTS_PAGE_SIZE }))),
  ]);
  // A page past the end (the list shrank, or a hand-written URL) shows the last page.
  let prospects = firstTry;
  const lastPage = Math.max(1, Math.ceil((prospects.data?.total ?? 0) / PROSPECTS_PAGE_SIZE));
  if (prospects.data && page > lastPage) {
    prospects = await settle(queryClient.fetchQuery(trpc.campaign.prospects.queryOptions({ campaignId: id, page: lastPage, limit: PROSPECTS_PAGE_SIZE })));
  }

  const back = (
    <Link href="/campaigns" prefetch={false} className={styles.link}>
      ← All campaigns
    </Link>
  );
  if (!campaign.data) {
    return (
      <div className={styles.page}>
        {back}
        <ErrorAlert title="Could not load the campaign" message={campaign.error ?? ""} />
      </div>
    );
  }
  const c = campaign.data;
  const draft = c.status === "draft";
  const path = `/campaigns/${id}`;
  const runsHash = hashKey(trpc.campaign.importRuns.queryKey({ campaignId: id }));

  return (
    <div className={styles.page}>
      {back}
      <div className={styles.heading}>
        <h1 className={styles.title}>{c.name}</h1>
        <div className={styles.meta}>
          <Badge color="gray" outline>
            {CHANNEL_LABEL[c.channel]}
          </Badge>
          <Badge color={STATUS_COLOR[c.status] ?? "gray"} data-testid="campaign-status">
            {statusLabel(c.status)}
          </Badge>
          <p className={styles.text} data-testid="prospect-count" data-count={c.stats.prospectCount}>
            {plural(c.stats.prospectCount, "prospect")}
          </p>
        </div>
      </div>

      {!draft && (
        <div className={styles.alert} data-testid="imports-closed">
          This campaign is {c.status}: imports are closed. Only draft campaigns accept prospects.
        </div>
      )}
      <HydrationBoundary state={dehydrate(queryClient, { shouldDehydrateQuery: (query) => query.queryHash === runsHash && query.state.status === "success" })}>
        <CampaignActions campaignId={id} channel={c.channel} draft={draft} />
      </HydrationBoundary>

      <section className={styles.stack} aria-labelledby="imports-heading">
        <h2 className={styles.sectionTitle} id="imports-heading">
          Import history
        </h2>
        {runs.data ? <ImportRunsTable runs={runs.data.runs} channel={c.channel} /> : <ErrorAlert title="Could not load import history" message={runs.error ?? ""} />}
      </section>

      <section className={styles.stack} aria-labelledby="prospects-heading">
        <h2 className={styles.sectionTitle} id="prospects-heading">
          Prospects
        </h2>
        {prospects.data ? (
          <ProspectsTable prospects={prospects.data.prospects} page={prospects.data.page} limit={PROSPECTS_PAGE_SIZE} total={prospects.data.total} path={path} />
        ) : (
          <ErrorAlert title="Could not load prospects" message={prospects.error ?? ""} />
        )}
      </section>
    </div>
  );
}

function ErrorAlert({ title, message }: { title: string; message: string }) {
  return (
    <div role="alert" className={`${styles.alert} ${styles.alertError}`}>
      <p className={styles.alertTitle}>{title}</p>
      {message}
    </div>
  );
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
