"use client";

import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useTRPC } from "@/trpc/client";
import { useOpenedOnce } from "../common/use-opened-once";

// The confirmation (Modal, focus trap, portal…) loads and mounts when the button is first pressed:
// a closed Mantine Modal still costs its code and hooks while the page hydrates.
const ConfirmModal = dynamic(() => import("../common/confirm-modal").then((m) => m.ConfirmModal), { ssr: false });

export function LaunchButton({ campaignId, disabled }: { campaignId: string; disabled: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [opened, { open, close }] = useDisclosure(false);
  const used = useOpenedOnce(opened);
  const launch = useMutation(
    trpc.campaign.launch.mutationOptions({
      onSuccess: async () => {
        router.refresh(); // the server-rendered page: status, and no more import
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
      {used && (
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
      )}
    </>
  );
}
