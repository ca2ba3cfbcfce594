"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Alert, Anchor, Button, Group, Loader, Modal, Progress, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useTRPC } from "@/trpc/client";
import { IDENTITY_RULE, type Channel } from "@/server/domain/identity";
import { formatCount } from "../format";
import { QueryState } from "../common/query-state";
import {
  describePreview,
  describeSkipped,
  isActive,
  readPercent,
  RUN_STATUS_COLOR,
  skippedCount,
  skippedCsvHref,
  summarizeRun,
  type RunRecord,
} from "./run-summary";
import type { ImportView } from "./use-campaign-import";

// Headings receive focus only so that it stays in the dialog when its content changes; they are
// not controls, so they show no focus ring.
const HEADING_FOCUS = { outline: "none" } as const;

type Props = {
  opened: boolean;
  onClose: () => void;
  campaignId: string;
  channel: Channel;
  view: ImportView;
  busy: boolean;
  onStart: (listId: string) => void;
  onCancel: (runId: string) => void;
  onPickAnother: () => void;
};

export function ImportDialog(props: Props) {
  const phone = useMediaQuery("(max-width: 36em)");
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title="Import prospects from a list"
      size="lg"
      fullScreen={Boolean(phone)}
      centered
      closeButtonProps={{ "aria-label": "Close import dialog" }}
    >
      <DialogBody {...props} />
    </Modal>
  );
}

function DialogBody({ view, campaignId, channel, busy, onStart, onCancel, onPickAnother, onClose }: Props) {
  // Focus follows the dialog from one state to the next, so it never falls out of the dialog.
  const headingRef = useRef<HTMLHeadingElement>(null);
  const stateKey = view.kind === "run" ? `run:${view.run.id}:${view.run.status}` : view.kind;
  // On opening, Mantine focuses the element marked data-autofocus; later changes move focus here.
  const opening = useRef(true);
  useEffect(() => {
    const first = opening.current;
    opening.current = false;
    if (!first || view.kind !== "pick") headingRef.current?.focus();
  }, [stateKey]); // eslint-disable-line react-hooks/exhaustive-deps -- runs when the state changes, not on every count tick

  switch (view.kind) {
    case "pick":
      return <ListPicker campaignId={campaignId} channel={channel} busy={busy} onStart={onStart} focusOnMount={!opening.current} />;
    case "starting":
      return (
        <Stack gap="md" data-testid="import-state" data-state="starting">
          <Title order={3} size="h4" ref={headingRef} tabIndex={-1} role="status" style={HEADING_FOCUS}>
            Starting the import…
          </Title>
          <Progress value={0} animated aria-label="Rows read" />
        </Stack>
      );
    case "error":
      return (
        <Stack gap="md" data-testid="import-state" data-state="request-error">
          <Title order={3} size="h4" ref={headingRef} tabIndex={-1} style={HEADING_FOCUS}>
            The import could not run
          </Title>
          <Alert color="red" role="alert">
            {view.message}
          </Alert>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onPickAnother}>
              Choose another list
            </Button>
            <Button onClick={() => onStart(view.listId)}>Retry</Button>
          </Group>
        </Stack>
      );
    case "run":
      return (
        <RunState
          run={view.run}
          channel={channel}
          headingRef={headingRef}
          onRetry={() => onStart(view.run.listId)}
          onCancel={() => onCancel(view.run.id)}
          onPickAnother={onPickAnother}
          onClose={onClose}
        />
      );
  }
}

function ListPicker(props: { campaignId: string; channel: Channel; busy: boolean; onStart: (listId: string) => void; focusOnMount: boolean }) {
  const { campaignId, channel, busy, onStart } = props;
  const trpc = useTRPC();
  const lists = useQuery(trpc.list.list.queryOptions({}));
  const [listId, setListId] = useState<string | null>(null);
  const chosen = lists.data?.lists.find((l) => l.id === listId);
  // What the import would do, as soon as a list is picked: nothing is written until Start import.
  const preview = useMutation(trpc.campaign.previewImport.mutationOptions());
  const { mutate: runPreview, reset: resetPreview } = preview;
  useEffect(() => {
    if (listId) runPreview({ campaignId, listId });
    else resetPreview();
  }, [campaignId, listId, runPreview, resetPreview]);
  // Coming back to the picker from a finished run: the button that was pressed is gone, so focus the field.
  const selectRef = useRef<HTMLInputElement>(null);
  const [focusOnMount] = useState(props.focusOnMount);
  const loaded = Boolean(lists.data);
  useEffect(() => {
    if (focusOnMount && loaded) selectRef.current?.focus();
  }, [focusOnMount, loaded]);

  if (lists.isPending || lists.error) return <QueryState isPending={lists.isPending} error={lists.error} label="your lists" />;
  if (lists.data.lists.length === 0) {
    return (
      <Text>
        You have no lists yet.{" "}
        <Anchor component={Link} href="/lists">
          Create one on the Lists page
        </Anchor>
        .
      </Text>
    );
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (listId) onStart(listId);
      }}
    >
      <Stack gap="md" data-testid="import-state" data-state="pick">
        <Select
          ref={selectRef}
          label="List"
          placeholder="Search your lists"
          searchable
          required
          data-autofocus
          nothingFoundMessage="No list matches"
          data={lists.data.lists.map((l) => ({ value: l.id, label: l.name }))}
          value={listId}
          onChange={setListId}
          maxDropdownHeight={260}
          comboboxProps={{ withinPortal: true }}
        />
        <Text size="sm" aria-live="polite" data-testid="chosen-list-rows">
          {chosen ? `This list has ${formatCount(chosen.rowCount)} ${chosen.rowCount === 1 ? "row" : "rows"}.` : "Choose a list to see how many rows it has."}
        </Text>
        {listId && (
          <Text size="sm" fw={500} aria-live="polite" data-testid="import-preview" data-state={preview.status}>
            {preview.isPending
              ? "Checking the list…"
              : preview.error
                ? `Could not check the list: ${preview.error.message}`
                : preview.data && preview.variables?.listId === listId
                  ? describePreview(preview.data, channel)
                  : null}
          </Text>
        )}
        <Alert color="blue" variant="light" title="Who gets imported">
          {IDENTITY_RULE[channel]} Rows without it count as invalid; people already in the campaign count as duplicates.
        </Alert>
        {busy && (
          <Text size="sm" c="orange.8">
            Another import is running for this campaign. Wait for it to finish.
          </Text>
        )}
        <Group justify="flex-end">
          <Button type="submit" disabled={!listId || busy}>
            Start import
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const COUNTS = [
  { key: "imported", label: "Imported" },
  { key: "duplicates", label: "Duplicates" },
  { key: "invalid", label: "Invalid" },
  { key: "errors", label: "Errors" },
] as const;

function RunState(props: {
  run: RunRecord;
  channel: Channel;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  onRetry: () => void;
  onCancel: () => void;
  onPickAnother: () => void;
  onClose: () => void;
}) {
  const { run } = props;
  const summary = summarizeRun(run, props.channel);
  const running = isActive(run);
  const tone = RUN_STATUS_COLOR[run.status];

  return (
    <Stack gap="md" data-testid="import-state" data-state={run.status} data-run-id={run.id}>
      <Group gap="sm" wrap="nowrap" align="center">
        {running && <Loader size="sm" aria-hidden />}
        <Title
          order={3}
          size="h4"
          ref={props.headingRef}
          tabIndex={-1}
          style={HEADING_FOCUS}
          c={run.status === "failed" ? "red.8" : undefined}
          data-testid="import-title"
        >
          {summary.title}
        </Title>
      </Group>
      {/* Screen readers hear the state change, not every count tick. */}
      <Text size="sm" c="dimmed" role="status" aria-live="polite" style={{ position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)" }}>
        {summary.finished ? summary.title : "Import running"}
      </Text>
      <Text size="sm">
        List: <strong>{run.listName}</strong>
      </Text>

      <Stack gap={4}>
        <Group justify="space-between" gap="xs">
          <Text size="sm" fw={500} id={`read-${run.id}`}>
            Rows read
          </Text>
          <Text size="sm" data-testid="rows-read">
            {formatCount(run.total)} of {formatCount(run.listTotal)}
          </Text>
        </Group>
        {/* Mantine gives aria-label (not aria-labelledby) to the element with role="progressbar". */}
        <Progress value={readPercent(run)} color={tone} animated={running} size="lg" aria-label="Rows read" />
      </Stack>

      <SimpleGrid cols={{ base: 2, xs: 4 }} spacing="xs" component="dl" m={0}>
        {COUNTS.map((c) => (
          <div key={c.key} style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 8, padding: "6px 10px" }}>
            <Text component="dt" size="xs" c="dimmed">
              {c.label}
            </Text>
            <Text component="dd" m={0} fw={600} size="lg" data-testid={`count-${c.key}`}>
              {formatCount(run[c.key])}
            </Text>
          </div>
        ))}
      </SimpleGrid>

      {summary.lines.map((line) => (
        <Text size="sm" key={line} data-testid="import-line">
          {line}
        </Text>
      ))}

      {!running && skippedCount(run) > 0 && (
        <Group gap="xs" justify="space-between" wrap="wrap">
          <Text size="sm" data-testid="import-reasons">
            Skipped: {describeSkipped(run, props.channel)}
          </Text>
          <Anchor href={skippedCsvHref(run.id)} download size="sm" data-testid="skipped-csv">
            Download skipped rows (CSV)
          </Anchor>
        </Group>
      )}

      <Group justify="flex-end" gap="sm">
        {running ? (
          <>
            <Button variant="default" color="red" onClick={props.onCancel} disabled={run.cancelRequested}>
              Cancel import
            </Button>
            <Button variant="default" onClick={props.onClose}>
              Close
            </Button>
          </>
        ) : (
          <>
            <Button variant="default" onClick={props.onPickAnother}>
              Import another list
            </Button>
            {summary.retry ? (
              <Button onClick={props.onRetry} color={run.status === "failed" ? "red" : undefined}>
                Retry
              </Button>
            ) : (
              <Button onClick={props.onClose}>Done</Button>
            )}
          </>
        )}
      </Group>
    </Stack>
  );
}
