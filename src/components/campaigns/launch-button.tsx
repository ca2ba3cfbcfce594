"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useTRPC } from "@/trpc/client";

export function LaunchButton({ campaignId, disabled }: { campaignId: string; disabled: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const launch = useMutation(
    trpc.campaign.launch.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.campaign.pathKey() });
        close();
      },
    }),
  );

  return (
    <>
      <Button variant="light" color="green" onClick={open} disabled={disabled}>
        Launch campaign
      </Button>
      <Modal opened={opened} onClose={close} title="Launch this campaign?" centered>
        <Stack gap="md">
          <Text>Once launched, the campaign is active and no more prospects can be imported into it.</Text>
          {launch.error && (
            <Alert color="red" role="alert">
              {launch.error.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} data-autofocus>
              Cancel
            </Button>
            <Button color="green" loading={launch.isPending} onClick={() => launch.mutate({ campaignId })}>
              Launch
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
