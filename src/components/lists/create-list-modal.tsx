"use client";

import { useDeferredValue, useMemo, useState, type FormEvent } from "react";
import { Alert, Button, Fieldset, FileInput, Group, Modal, Progress, Select, SimpleGrid, Stack, Tabs, Text, Textarea, TextInput } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { formatCount } from "../format";
import { guessMapping, MAX_CSV_BYTES, parseCsv, TARGET_FIELDS, toListRows, type Mapping } from "./csv-mapping";
import { useUploadList } from "./use-upload-list";

type Source = "file" | "paste";

export function CreateListModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const phone = useMediaQuery("(max-width: 36em)");
  return (
    <Modal opened={opened} onClose={onClose} title="New list from a CSV" size="lg" fullScreen={Boolean(phone)} centered>
      {/* Remounted on every open so a new list starts from a clean form. */}
      {opened && <CreateListForm onDone={onClose} />}
    </Modal>
  );
}

function CreateListForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState("");
  const [source, setSource] = useState<Source>("file");
  const [file, setFile] = useState<File | null>(null);
  const [fileText, setFileText] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  const [pasted, setPasted] = useState("");
  const deferredPaste = useDeferredValue(pasted);
  const text = source === "file" ? fileText : deferredPaste;
  const parsed = useMemo(() => (text.trim() ? parseCsv(text) : null), [text]);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [mappedHeaders, setMappedHeaders] = useState<string>("");
  const { state, upload } = useUploadList();

  // A new set of columns gets a fresh guess; the user's choices stand while the columns stay the same.
  const headerKey = parsed?.headers.join("\u0001") ?? "";
  let effective = mapping;
  if (parsed && headerKey !== mappedHeaders) {
    effective = guessMapping(parsed.headers);
    setMapping(effective);
    setMappedHeaders(headerKey);
  }

  async function chooseFile(next: File | null) {
    setFile(next);
    setFileError(null);
    setFileText("");
    if (!next) return;
    if (next.size > MAX_CSV_BYTES) {
      setFileError(`That file is ${formatCount(Math.round(next.size / 1024 / 1024))} MB; the limit is ${MAX_CSV_BYTES / 1024 / 1024} MB.`);
      return;
    }
    setFileText(await next.text());
    if (!name.trim()) setName(next.name.replace(/\.csv$/i, ""));
  }

  const rowCount = parsed?.records.length ?? 0;
  const mapsSomething = effective !== null && Object.values(effective).some(Boolean);
  const uploading = state.phase === "uploading";
  const canSubmit = name.trim() !== "" && rowCount > 0 && mapsSomething && !uploading;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!canSubmit || !parsed || !effective) return;
    const listId = await upload(name.trim(), toListRows(parsed.records, effective));
    if (listId) onDone();
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <TextInput label="List name" required value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} data-autofocus />

        <Tabs value={source} onChange={(v) => setSource((v as Source) ?? "file")} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="file">Upload a file</Tabs.Tab>
            <Tabs.Tab value="paste">Paste CSV</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="file" pt="sm">
            <FileInput
              label="CSV file"
              description="The first line must name the columns."
              placeholder="Choose a .csv file"
              accept=".csv,text/csv"
              value={file}
              onChange={(f) => void chooseFile(f)}
              error={fileError}
              clearable
            />
          </Tabs.Panel>
          <Tabs.Panel value="paste" pt="sm">
            <Textarea
              label="CSV text"
              description="Paste rows including the header line."
              autosize
              minRows={5}
              maxRows={12}
              value={pasted}
              onChange={(e) => setPasted(e.currentTarget.value)}
              styles={{ input: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", fontSize: 13 } }}
            />
          </Tabs.Panel>
        </Tabs>

        {parsed && (
          <Text size="sm" aria-live="polite">
            {formatCount(rowCount)} {rowCount === 1 ? "row" : "rows"} found, {parsed.headers.length} columns.
          </Text>
        )}
        {parsed && parsed.problems.length > 0 && (
          <Alert color="yellow" title="Some lines looked odd">
            <Stack gap={2}>
              {parsed.problems.map((p) => (
                <Text size="sm" key={p}>
                  {p}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}

        {parsed && effective && (
          <Fieldset legend="Which column holds what">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              {TARGET_FIELDS.map((field) => (
                <Select
                  key={field.key}
                  label={field.label}
                  description={field.key === "linkedin_url" ? "linkedin_url" : `profile_data.${field.key}`}
                  placeholder="Not in this file"
                  data={parsed.headers}
                  value={effective[field.key]}
                  onChange={(value) => setMapping({ ...effective, [field.key]: value })}
                  clearable
                  allowDeselect
                />
              ))}
            </SimpleGrid>
            {!mapsSomething && (
              <Text size="sm" c="red" mt="xs">
                Choose at least one column.
              </Text>
            )}
          </Fieldset>
        )}

        {state.phase === "uploading" && (
          <Stack gap={4}>
            <Text size="sm">
              Uploading: {formatCount(state.sent)} of {formatCount(state.total)} rows sent
            </Text>
            <Progress value={state.total ? (state.sent / state.total) * 100 : 0} aria-label="Rows uploaded" animated />
          </Stack>
        )}
        {state.phase === "error" && (
          <Alert color="red" title="The list could not be saved" role="alert">
            {state.message}
            {state.listId && ` The list was created with the first ${formatCount(state.sent)} of ${formatCount(state.total)} rows.`}
          </Alert>
        )}

        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={uploading}>
            Cancel
          </Button>
          <Button type="submit" disabled={!canSubmit} loading={uploading}>
            Create list
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
