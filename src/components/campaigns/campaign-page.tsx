"use client";

import { useState } from "react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { Alert, Anchor, Badge, Button, Group, Stack, Text, Title } from "@mantine/core";
import { useTRPC } from "@/trpc/client";
import { formatCount, plural } from "../format";
import { QueryState } from "../common/query-state";
import { useCampaignImport } from "../import/use-campaign-import";
import { CHANNEL_LABEL, STATUS_COLOR, statusLabel } from "./labels";
import { ImportRunsTable } from "./import-runs-table";
import { LaunchButton } from "./launch-button";
import { ProspectsTable } from "./prospects-table";

// The dialog's code (Select, Combobox, Progress…) loads when it first opens, not with the page.
const ImportDialog = dynamic(() => import("../import/import-dialog").then((m) => m.ImportDialog), { ssr: false });

export function CampaignPage({ campaignId }: { campaignId: string }) {
  const trpc = useTRPC();
  const campaign = useQuery(trpc.campaign.get.queryOptions({ campaignId }));
  const imports = useCampaignImport(campaignId);
  const [dialogUsed, setDialogUsed] = useState(false);
  if (imports.opened && !dialogUsed) setDialogUsed(true);

  if (!campaign.data) {
    return (
      <Stack>
        <BackLink />
        <QueryState isPending={campaign.isPending} error={campaign.error} label="the campaign" />
      </Stack>
    );
  }
  const c = campaign.data;
  const draft = c.status === "draft";

  return (
    <Stack gap="lg">
      <BackLink />
      <Stack gap={6}>
        <Title order={1} style={{ overflowWrap: "anywhere" }}>
          {c.name}
        </Title>
        <Group gap="xs">
          <Badge variant="outline" color="gray">
            {CHANNEL_LABEL[c.channel]}
          </Badge>
          <Badge color={STATUS_COLOR[c.status]} variant="light" data-testid="campaign-status">
            {statusLabel(c.status)}
          </Badge>
          <Text size="sm" data-testid="prospect-count" data-count={c.stats.prospectCount}>
            {plural(c.stats.prospectCount, "prospect")}
          </Text>
        </Group>
      </Stack>

      {draft ? (
        <Group gap="sm">
          <Button onClick={imports.open}>Import from list</Button>
          <LaunchButton campaignId={campaignId} disabled={Boolean(imports.activeRun)} />
        </Group>
      ) : (
        <Alert color="gray" variant="light" data-testid="imports-closed">
          This campaign is {c.status}: imports are closed. Only draft campaigns accept prospects.
        </Alert>
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

      <Stack gap="xs" component="section" aria-labelledby="imports-heading">
        <Title order={2} size="h3" id="imports-heading">
          Import history
        </Title>
        {imports.runsQuery.data ? (
          <ImportRunsTable runs={imports.runsQuery.data.runs} channel={c.channel} />
        ) : (
          <QueryState isPending={imports.runsQuery.isPending} error={imports.runsQuery.error} label="import history" />
        )}
      </Stack>

      <Stack gap="xs" component="section" aria-labelledby="prospects-heading">
        <Title order={2} size="h3" id="prospects-heading">
          Prospects
        </Title>
        <ProspectsTable campaignId={campaignId} />
      </Stack>

      {draft && dialogUsed && (
        <ImportDialog
          opened={imports.opened}
          onClose={imports.close}
          campaignId={campaignId}
          channel={c.channel}
          view={imports.view}
          busy={imports.busy}
          onStart={(listId) => void imports.start(listId)}
          onCancel={(runId) => void imports.cancel(runId)}
          onPickAnother={imports.pickAnother}
        />
      )}
    </Stack>
  );
}

function BackLink() {
  return (
    <Anchor component={Link} href="/campaigns" prefetch={false} size="sm">
      ← All campaigns
    </Anchor>
  );
}
