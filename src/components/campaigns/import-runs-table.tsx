"use client";

import { Anchor, Badge, Table, Text } from "@mantine/core";
import type { Channel } from "@/server/domain/identity";
import { formatCount, formatDate } from "../format";
import { describeSkipped, isActive, RUN_STATUS_COLOR, RUN_STATUS_LABEL, skippedCount, skippedCsvHref, type RunRecord } from "../import/run-summary";
import { TableHead, type Column } from "../common/table-head";

const RUN_COLUMNS: Column[] = [
  { label: "Started" },
  { label: "List" },
  { label: "Status" },
  { label: "Rows read", numeric: true },
  { label: "Imported", numeric: true },
  { label: "Duplicates", numeric: true },
  { label: "Invalid", numeric: true },
  { label: "Errors", numeric: true },
  { label: "Why skipped" },
];

type Run = RunRecord & { startedAt: Date | string; finishedAt: Date | string | null };

export function ImportRunsTable({ runs, channel }: { runs: Run[]; channel: Channel }) {
  if (runs.length === 0) return <Text c="dimmed">No imports yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={1120}>
      {/* One line a cell, so numbers, dates and status badges never wrap or truncate; the table scrolls instead. */}
      <Table striped verticalSpacing="xs" aria-label="Import history" style={{ whiteSpace: "nowrap" }}>
        <TableHead columns={RUN_COLUMNS} />
        <Table.Tbody>
          {runs.map((run) => (
            <Table.Tr key={run.id} data-testid="import-run-row" data-run-id={run.id}>
              <Table.Td>{formatDate(run.startedAt)}</Table.Td>
              <Table.Td style={{ whiteSpace: "normal", minWidth: 140 }}>{run.listName}</Table.Td>
              <Table.Td style={{ minWidth: 150 }}>
                <Badge color={RUN_STATUS_COLOR[run.status]} variant="light" data-testid="run-status">
                  {RUN_STATUS_LABEL[run.status]}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">
                {formatCount(run.total)} of {formatCount(run.listTotal)}
              </Table.Td>
              <Table.Td ta="right" data-testid="run-imported">
                {formatCount(run.imported)}
              </Table.Td>
              <Table.Td ta="right" data-testid="run-duplicates">
                {formatCount(run.duplicates)}
              </Table.Td>
              <Table.Td ta="right" data-testid="run-invalid">
                {formatCount(run.invalid)}
              </Table.Td>
              <Table.Td ta="right" data-testid="run-errors">
                {formatCount(run.errors)}
              </Table.Td>
              <Table.Td style={{ whiteSpace: "normal", minWidth: 240 }}>
                {!isActive(run) && skippedCount(run) > 0 && (
                  <>
                    <Text size="sm" data-testid="run-reasons">
                      {describeSkipped(run, channel)}
                    </Text>
                    <Anchor href={skippedCsvHref(run.id)} download size="sm" data-testid="run-skipped-csv">
                      Download skipped rows (CSV)
                    </Anchor>
                  </>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
