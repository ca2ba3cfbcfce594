import type { Metadata } from "next";
import { Stack, Title } from "@mantine/core";
import { ApiKeysSection } from "@/components/settings/api-keys";

export const metadata: Metadata = { title: "Settings" };

export default function Page() {
  return (
    <Stack gap="lg">
      <Title order={1}>Settings</Title>
      <ApiKeysSection />
    </Stack>
  );
}
