"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useTRPC } from "@/trpc/client";
import { ConfirmModal } from "../common/confirm-modal";

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
      <ConfirmModal
        opened={opened}
        onClose={close}
        title="Launch this campaign?"
        confirmLabel="Launch"
        color="green"
        pending={launch.isPending}
        error={launch.error}
        onConfirm={() => launch.mutate({ campaignId })}
      >
        <Text>Once launched, the campaign is active and no more prospects can be imported into it.</Text>
      </ConfirmModal>
    </>
  );
}
