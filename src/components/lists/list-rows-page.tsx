"use client";

import Link from "next/link";
import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Anchor, Stack, Table, Text, Title } from "@mantine/core";
import { useTRPC } from "@/trpc/client";
import { formatCount } from "../format";
import { QueryState } from "../common/query-state";
import { Pager } from "../common/pager";
import { profileName, profileText } from "./profile-fields";
import { TableHead, type Column } from "../common/table-head";

const ROW_COLUMNS: Column[] = [
  { label: "#" },
  { label: "Name" },
  { label: "LinkedIn URL" },
  { label: "Work email" },
  { label: "Company" },
  { label: "Role" },
];

const PAGE_SIZE = 50;

export function ListRowsPage({ listId }: { listId: string }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const lists = useQuery(trpc.list.list.queryOptions({}));
  const rows = useQuery({ ...trpc.list.rows.queryOptions({ listId, page, limit: PAGE_SIZE }), placeholderData: keepPreviousData });
  const list = lists.data?.lists.find((l) => l.id === listId);

  return (
    <Stack gap="lg">
      <Anchor component={Link} href="/lists" size="sm">
        ← All lists
      </Anchor>
      <div>
        <Title order={1}>{list?.name ?? "List"}</Title>
        {rows.data && (
          <Text c="dimmed" data-testid="list-total">
            {formatCount(rows.data.total)} rows
          </Text>
        )}
      </div>
      <QueryState isPending={rows.isPending} error={rows.error} label="the list's rows" />
      {rows.data && (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table striped verticalSpacing="xs" aria-label="List rows">
              <TableHead columns={ROW_COLUMNS} />
              <Table.Tbody>
                {rows.data.rows.map((row, i) => (
                  <Table.Tr key={row.id}>
                    <Table.Td c="dimmed">{formatCount((page - 1) * PAGE_SIZE + i + 1)}</Table.Td>
                    <Table.Td>{profileName(row.profile_data)}</Table.Td>
                    <Table.Td style={{ wordBreak: "break-all" }}>{row.linkedin_url ?? ""}</Table.Td>
                    <Table.Td style={{ wordBreak: "break-all" }}>{profileText(row.profile_data, "enrichment", "work_email")}</Table.Td>
                    <Table.Td>{profileText(row.profile_data, "currentCompany")}</Table.Td>
                    <Table.Td>{profileText(row.profile_data, "currentRole")}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager page={page} limit={PAGE_SIZE} total={rows.data.total} onChange={setPage} label="Rows" />
        </>
      )}
    </Stack>
  );
}
