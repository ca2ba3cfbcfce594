"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Anchor, Badge, Button, Group, Paper, Radio, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useTRPC } from "@/trpc/client";
import type { Channel } from "@/server/domain/identity";
import { formatCount, formatDate } from "../format";
import { QueryState } from "../common/query-state";
import { CHANNEL_LABEL, STATUS_COLOR, statusLabel } from "./labels";
import { TableHead, type Column } from "../common/table-head";

const CAMPAIGN_COLUMNS: Column[] = [
  { label: "Name" },
  { label: "Channel" },
  { label: "Status" },
  { label: "Prospects", numeric: true },
  { label: "Created", wide: true },
];

export function CampaignsPage() {
  const trpc = useTRPC();
  const campaigns = useQuery(trpc.campaign.list.queryOptions({}));

  return (
    <Stack gap="lg">
      <Title order={1}>Campaigns</Title>
      <CreateCampaignForm />
      <Title order={2} size="h3">
        Your campaigns
      </Title>
      <QueryState isPending={campaigns.isPending} error={campaigns.error} label="campaigns" />
      {campaigns.data && campaigns.data.campaigns.length === 0 && <Text c="dimmed">No campaigns yet.</Text>}
      {campaigns.data && campaigns.data.campaigns.length > 0 && (
        <Table.ScrollContainer minWidth={360}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label="Your campaigns">
            <TableHead columns={CAMPAIGN_COLUMNS} />
            <Table.Tbody>
              {campaigns.data.campaigns.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} href={`/campaigns/${c.id}`}>
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{CHANNEL_LABEL[c.channel]}</Table.Td>
                  <Table.Td style={{ minWidth: 100 }}>
                    <Badge color={STATUS_COLOR[c.status]} variant="light">
                      {statusLabel(c.status)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(c.stats.prospectCount)}</Table.Td>
                  <Table.Td visibleFrom="sm">{formatDate(c.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function CreateCampaignForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [channel, setChannel] = useState<Channel>("linkedin");
  const create = useMutation(
    trpc.campaign.create.mutationOptions({
      onSuccess: async (campaign) => {
        await queryClient.invalidateQueries({ queryKey: trpc.campaign.list.queryKey() });
        router.push(`/campaigns/${campaign.id}`);
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) create.mutate({ name: name.trim(), channel });
  }

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} aria-labelledby="new-campaign-heading">
        <Stack gap="sm">
          <Title order={2} size="h4" id="new-campaign-heading">
            New campaign
          </Title>
          <Group align="flex-end" gap="md" wrap="wrap">
            <TextInput
              label="Campaign name"
              required
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              style={{ flex: "1 1 240px" }}
            />
            <Radio.Group label="Channel" value={channel} onChange={(v) => setChannel(v as Channel)} required>
              <Group gap="md" mt={6} mb={8}>
                <Radio value="linkedin" label="LinkedIn" />
                <Radio value="email" label="Email" />
              </Group>
            </Radio.Group>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Create campaign
            </Button>
          </Group>
          {create.error && (
            <Alert color="red" role="alert">
              {create.error.message}
            </Alert>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
