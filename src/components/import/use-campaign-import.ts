"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { isActive, type RunRecord } from "./run-summary";

const POLL_MS = 500;

export type ImportView =
  | { kind: "pick" }
  | { kind: "starting"; listId: string }
  | { kind: "run"; run: RunRecord }
  | { kind: "error"; message: string; listId: string };

/**
 * The campaign page's import state. campaign.importList starts a background run and answers at
 * once; the run record (campaign.importRuns) is polled, so the dialog follows the same record
 * whether this tab started the run, another tab did, the page was reloaded, or the server that
 * ran it restarted and another process resumed it.
 */
export function useCampaignImport(campaignId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [opened, setOpened] = useState(false);
  const [pending, setPending] = useState<{ listId: string; knownRunIds: string[] } | null>(null);
  const [followRunId, setFollowRunId] = useState<string | null>(null);
  const [startError, setStartError] = useState<{ message: string; listId: string } | null>(null);

  const runsQuery = useQuery({
    ...trpc.campaign.importRuns.queryOptions({ campaignId }),
    refetchInterval: (query) => (pending || query.state.data?.runs.some(isActive) ? POLL_MS : false),
  });
  const runs: RunRecord[] = runsQuery.data?.runs ?? [];
  const activeRun = runs.find(isActive);

  const importList = useMutation(trpc.campaign.importList.mutationOptions());
  const cancelImport = useMutation(trpc.campaign.cancelImport.mutationOptions());

  // The page around the dialog (count, history, prospects) is server-rendered: a refresh re-renders it.
  const refreshCampaign = async () => {
    router.refresh();
    await queryClient.invalidateQueries({ queryKey: trpc.campaign.pathKey() });
  };

  // A run finishing (started here, in another tab, or before a reload) refreshes the page's
  // count, history and prospects; while it runs, they follow each batch the record reports.
  const seen = useRef<{ running: Set<string>; imported: string }>({ running: new Set(), imported: "" });
  useEffect(() => {
    const running = runs.filter(isActive);
    const now = new Set(running.map((r) => r.id));
    const imported = running.map((r) => `${r.id}:${r.imported}`).join(",");
    const finished = [...seen.current.running].some((id) => !now.has(id));
    const progressed = imported !== seen.current.imported && running.some((r) => r.imported > 0);
    seen.current = { running: now, imported };
    if (finished || progressed) router.refresh();
  }, [runs, router]);

  async function start(listId: string) {
    setStartError(null);
    setFollowRunId(null);
    setPending({ listId, knownRunIds: runs.map((r) => r.id) });
    try {
      const result = await importList.mutateAsync({ campaignId, listId, background: true });
      setFollowRunId(result.runId);
      await runsQuery.refetch();
    } catch (error) {
      setStartError({ message: error instanceof Error ? error.message : String(error), listId });
    } finally {
      await refreshCampaign();
      setPending(null);
    }
  }

  async function cancel(runId: string) {
    await cancelImport.mutateAsync({ runId }).catch(() => undefined); // an ended run has nothing to cancel
    await runsQuery.refetch();
  }

  function open() {
    // Unfinished business first: a run in progress, or the latest run if it needs a retry.
    const latest = runs[0];
    if (!pending && !startError) {
      if (activeRun) setFollowRunId(activeRun.id);
      else if (latest && (latest.status === "partial" || latest.status === "failed" || latest.status === "cancelled")) setFollowRunId(latest.id);
      else setFollowRunId(null);
    }
    setOpened(true);
  }

  function pickAnother() {
    setFollowRunId(null);
    setStartError(null);
  }

  let view: ImportView = { kind: "pick" };
  if (pending) {
    const mine = runs.find((r) => !pending.knownRunIds.includes(r.id));
    view = mine ? { kind: "run", run: mine } : { kind: "starting", listId: pending.listId };
  } else if (startError) {
    view = { kind: "error", ...startError };
  } else if (followRunId) {
    const followed = runs.find((r) => r.id === followRunId);
    if (followed) view = { kind: "run", run: followed };
  }

  return {
    runs,
    runsQuery,
    activeRun,
    busy: Boolean(pending) || Boolean(activeRun),
    view,
    opened,
    open,
    close: () => setOpened(false),
    start,
    cancel,
    pickAnother,
  };
}
