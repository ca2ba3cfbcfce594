"use client";

import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Stack, Table, Text } from "@mantine/core";
import { useTRPC } from "@/trpc/client";
import { formatCount } from "../format";
import { QueryState } from "../common/query-state";
import { Pager } from "../common/pager";
import { TableHead, type Column } from "../common/table-head";
import { PlainTd, PlainTr } from "../common/plain-rows";
import { PROSPECTS_PAGE_SIZE as PAGE_SIZE } from "./labels";

const PROSPECT_COLUMNS: Column[] = [
  { label: "#" },
  { label: "Name" },
  { label: "Email" },
  { label: "LinkedIn" },
  { label: "Company" },
  { label: "Position" },
];

export function ProspectsTable({ campaignId }: { campaignId: string }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const prospects = useQuery({
    ...trpc.campaign.prospects.queryOptions({ campaignId, page, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  if (!prospects.data) return <QueryState isPending={prospects.isPending} error={prospects.error} label="prospects" />;
  if (prospects.data.total === 0) return <Text c="dimmed">No prospects yet.</Text>;

  return (
    <Stack gap="sm">
      <Table.ScrollContainer minWidth={760}>
        <Table striped verticalSpacing="xs" aria-label="Prospects">
          <TableHead columns={PROSPECT_COLUMNS} />
          <Table.Tbody>
            {prospects.data.prospects.map((p, i) => (
              <PlainTr key={p.id}>
                <PlainTd dimmed>{formatCount((prospects.data.page - 1) * PAGE_SIZE + i + 1)}</PlainTd>
                <PlainTd>{p.name ?? [p.first_name, p.last_name].filter(Boolean).join(" ")}</PlainTd>
                <PlainTd style={{ wordBreak: "break-all" }}>{p.email ?? ""}</PlainTd>
                <PlainTd style={{ wordBreak: "break-all" }}>{p.linkedin_url ?? ""}</PlainTd>
                <PlainTd>{p.company ?? ""}</PlainTd>
                <PlainTd>{p.position ?? ""}</PlainTd>
              </PlainTr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager page={page} limit={PAGE_SIZE} total={prospects.data.total} onChange={setPage} label="Prospects" />
    </Stack>
  );
}
