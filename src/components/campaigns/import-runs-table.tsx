"use client";

import { Anchor, Badge, Table, Text } from "@mantine/core";
import type { Channel } from "@/server/domain/identity";
import { formatCount, formatDate } from "../format";
import { describeSkipped, isActive, RUN_STATUS_COLOR, RUN_STATUS_LABEL, skippedCount, skippedCsvHref, type RunRecord } from "../import/run-summary";
import { TableHead, type Column } from "../common/table-head";
import { PlainTd, PlainTr } from "../common/plain-rows";

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
            <PlainTr key={run.id} data-testid="import-run-row" data-run-id={run.id}>
              <PlainTd>{formatDate(run.startedAt)}</PlainTd>
              <PlainTd style={{ whiteSpace: "normal", minWidth: 140 }}>{run.listName}</PlainTd>
              <PlainTd style={{ minWidth: 150 }}>
                <Badge color={RUN_STATUS_COLOR[run.status]} variant="light" data-testid="run-status">
                  {RUN_STATUS_LABEL[run.status]}
                </Badge>
              </PlainTd>
              <PlainTd numeric>
                {formatCount(run.total)} of {formatCount(run.listTotal)}
              </PlainTd>
              <PlainTd numeric data-testid="run-imported">
                {formatCount(run.imported)}
              </PlainTd>
              <PlainTd numeric data-testid="run-duplicates">
                {formatCount(run.duplicates)}
              </PlainTd>
              <PlainTd numeric data-testid="run-invalid">
                {formatCount(run.invalid)}
              </PlainTd>
              <PlainTd numeric data-testid="run-errors">
                {formatCount(run.errors)}
              </PlainTd>
              <PlainTd style={{ whiteSpace: "normal", minWidth: 240 }}>
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
              </PlainTd>
            </PlainTr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
