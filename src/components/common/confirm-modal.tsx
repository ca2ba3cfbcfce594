"use client";

import { Alert, Button, Group, Modal, Stack } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * "Are you sure?" for an action that can't be undone: what it does, the action's error if it
 * failed, Cancel (focused, so Enter does not confirm by accident) and the action's button.
 */
export function ConfirmModal(props: {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  color: string;
  pending: boolean;
  error: { message: string } | null;
  onConfirm: () => void;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} centered>
      <Stack gap="md">
        {props.children}
        {props.error && (
          <Alert color="red" role="alert">
            {props.error.message}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={props.onClose} data-autofocus>
            Cancel
          </Button>
          <Button color={props.color} loading={props.pending} onClick={props.onConfirm}>
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
