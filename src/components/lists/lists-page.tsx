"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Anchor, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useTRPC } from "@/trpc/client";
import { formatCount, formatDate } from "../format";
import { QueryState } from "../common/query-state";
import { CreateListModal } from "./create-list-modal";
import { demoRows } from "@/server/domain/demo-data";
import { TableHead, type Column } from "../common/table-head";

const LIST_COLUMNS: Column[] = [
  { label: "Name" },
  { label: "Rows", numeric: true },
  { label: "Created", wide: true },
];

const DEMO_SIZE = 250;

export function ListsPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const lists = useQuery(trpc.list.list.queryOptions({}));
  const [creating, { open, close }] = useDisclosure(false);
  const demo = useMutation(
    trpc.list.create.mutationOptions({
      onSuccess: async (list) => {
        await queryClient.invalidateQueries({ queryKey: trpc.list.pathKey() });
        router.push(`/lists/${list.id}`);
      },
    }),
  );

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="center" wrap="wrap">
        <Title order={1}>Lists</Title>
        <Group gap="sm">
          <Button
            variant="default"
            loading={demo.isPending}
            onClick={() => demo.mutate({ name: `Demo list (${DEMO_SIZE} people)`, rows: demoRows(DEMO_SIZE) })}
          >
            Create demo list
          </Button>
          <Button onClick={open}>New list from CSV</Button>
        </Group>
      </Group>
      {demo.error && (
        <Alert color="red" role="alert" title="The demo list could not be created">
          {demo.error.message}
        </Alert>
      )}

      <QueryState isPending={lists.isPending} error={lists.error} label="lists" />
      {lists.data && lists.data.lists.length === 0 && <Text c="dimmed">No lists yet. Upload a CSV or create the demo list.</Text>}
      {lists.data && lists.data.lists.length > 0 && (
        <Table.ScrollContainer minWidth={320}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label="Your lists">
            <TableHead columns={LIST_COLUMNS} />
            <Table.Tbody>
              {lists.data.lists.map((list) => (
                <Table.Tr key={list.id} data-testid={`list-row-${list.id}`}>
                  <Table.Td>
                    <Anchor component={Link} href={`/lists/${list.id}`}>
                      {list.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ta="right" data-testid="list-row-count">
                    {formatCount(list.rowCount)}
                  </Table.Td>
                  <Table.Td visibleFrom="sm">{formatDate(list.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateListModal opened={creating} onClose={close} />
    </Stack>
  );
}
