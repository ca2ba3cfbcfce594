"use client";

import dynamic from "next/dynamic";
import { Alert, Button, Group, Text } from "@mantine/core";
import type { Channel } from "@/server/domain/identity";
import { formatCount } from "../format";
import { useCampaignImport } from "../import/use-campaign-import";
import { useOpenedOnce } from "../common/use-opened-once";
import { LaunchButton } from "./launch-button";

// The dialog's code (Select, Combobox, Progress…) loads when it first opens, not with the page.
const ImportDialog = dynamic(() => import("../import/import-dialog").then((m) => m.ImportDialog), { ssr: false });

/**
 * The campaign page's one client island: Import from list and Launch (draft campaigns only), the
 * running-import notice, and the import dialog. Everything else on the page is server-rendered
 * (src/app/(app)/campaigns/[id]/page.tsx); when a run moves or ends, or the campaign launches,
 * this asks the server for a fresh page (router.refresh()), which keeps this island's state.
 */
export function CampaignActions({ campaignId, channel, draft }: { campaignId: string; channel: Channel; draft: boolean }) {
  const imports = useCampaignImport(campaignId);
  const dialogUsed = useOpenedOnce(imports.opened);

  return (
    <>
      {draft && (
        <Group gap="sm">
          <Button onClick={imports.open}>Import from list</Button>
          <LaunchButton campaignId={campaignId} disabled={Boolean(imports.activeRun)} />
        </Group>
      )}

      {imports.activeRun && !imports.opened && (
        <Alert color="blue" variant="light" title="An import is running">
          <Group justify="space-between" gap="sm">
            <Text size="sm">
              “{imports.activeRun.listName}”: {formatCount(imports.activeRun.total)} of {formatCount(imports.activeRun.listTotal)} rows read.
            </Text>
            {draft && (
              <Button size="xs" variant="light" onClick={imports.open}>
                Show progress
              </Button>
            )}
          </Group>
        </Alert>
      )}

      {draft && dialogUsed && (
        <ImportDialog
          opened={imports.opened}
          onClose={imports.close}
          campaignId={campaignId}
          channel={channel}
          view={imports.view}
          busy={imports.busy}
          onStart={(listId) => void imports.start(listId)}
          onCancel={(runId) => void imports.cancel(runId)}
          onPickAnother={imports.pickAnother}
        />
      )}
    </>
  );
}
