"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Badge, Button, Code, CopyButton, Group, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from "@mantine/core";
import { useTRPC } from "@/trpc/client";
import { formatDate } from "../format";
import { QueryState } from "../common/query-state";
import { TableHead, type Column } from "../common/table-head";
import { ConfirmModal } from "../common/confirm-modal";

const KEY_COLUMNS: Column[] = [
  { label: "Name" },
  { label: "Key" },
  { label: "Created" },
  { label: "Last used" },
  { label: "Status" },
  { label: <VisuallyHidden>Actions</VisuallyHidden> },
];

export function ApiKeysSection() {
  const trpc = useTRPC();
  const keys = useQuery(trpc.apiKey.list.queryOptions());
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);

  return (
    <Stack gap="md" component="section" aria-labelledby="api-keys-heading">
      <div>
        <Title order={2} size="h3" id="api-keys-heading">
          API keys
        </Title>
        <Text size="sm" c="dimmed">
          Send a key as <Code>Authorization: Bearer &lt;key&gt;</Code> to the REST API at <Code>/api</Code>.
        </Text>
      </div>
      <CreateKeyForm />
      <QueryState isPending={keys.isPending} error={keys.error} label="API keys" />
      {keys.data && keys.data.length === 0 && <Text c="dimmed">No API keys yet.</Text>}
      {keys.data && keys.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="sm" aria-label="Your API keys">
            <TableHead columns={KEY_COLUMNS} />
            <Table.Tbody>
              {keys.data.map((key) => (
                <Table.Tr key={key.id} data-testid="api-key-row">
                  <Table.Td>{key.name}</Table.Td>
                  <Table.Td>
                    <Code>{key.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>{formatDate(key.createdAt)}</Table.Td>
                  <Table.Td>{key.lastUsedAt ? formatDate(key.lastUsedAt) : "Never"}</Table.Td>
                  <Table.Td style={{ minWidth: 100 }}>
                    {key.revokedAt ? (
                      <Badge color="gray" variant="light">
                        Revoked
                      </Badge>
                    ) : (
                      <Badge color="green" variant="light">
                        Active
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    {!key.revokedAt && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking({ id: key.id, name: key.name })} aria-label={`Revoke key ${key.name}`}>
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <RevokeDialog target={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}

function CreateKeyForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: async (key) => {
        setCreated({ name: key.name, key: key.key });
        setName("");
        await queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey() });
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) create.mutate({ name: name.trim() });
  }

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <form onSubmit={submit}>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label="New key name"
              placeholder="e.g. CRM sync"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              style={{ flex: "1 1 220px" }}
            />
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Create key
            </Button>
          </Group>
        </form>
        {create.error && (
          <Alert color="red" role="alert">
            {create.error.message}
          </Alert>
        )}
        {created && (
          <Alert color="green" variant="light" title={`Key “${created.name}” created`} role="status">
            <Stack gap="xs">
              <Text size="sm">Copy it now: it is shown only once. Only its first characters are kept for display.</Text>
              <Code block data-testid="new-api-key" style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
                {created.key}
              </Code>
              <Group gap="sm">
                <CopyButton value={created.key}>
                  {({ copied, copy }) => (
                    <Button size="xs" color={copied ? "teal" : undefined} onClick={copy}>
                      {copied ? "Copied" : "Copy key"}
                    </Button>
                  )}
                </CopyButton>
                <Button size="xs" variant="default" onClick={() => setCreated(null)}>
                  I have saved it
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

function RevokeDialog({ target, onClose }: { target: { id: string; name: string } | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.apiKey.revoke.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey() });
        onClose();
      },
    }),
  );
  return (
    <ConfirmModal
      opened={target !== null}
      onClose={onClose}
      title="Revoke this key?"
      confirmLabel="Revoke key"
      color="red"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => target && revoke.mutate({ keyId: target.id })}
    >
      <Text>
        Requests using “{target?.name}” will be refused from now on. This can&apos;t be undone.
      </Text>
    </ConfirmModal>
  );
}
