// The styles of the Mantine components these pages and their dialogs use (the root layout has
// only the base styles, which is all the sign-in page needs), not the whole of styles.css
// (300 KB, render-blocking): in the order styles.css has them, dependencies before the components
// built on them. A component newly used in the app needs its file added here.
import "@mantine/core/styles/ScrollArea.css";
import "@mantine/core/styles/UnstyledButton.css";
import "@mantine/core/styles/VisuallyHidden.css";
import "@mantine/core/styles/Paper.css";
import "@mantine/core/styles/Overlay.css";
import "@mantine/core/styles/Popover.css";
import "@mantine/core/styles/Loader.css";
import "@mantine/core/styles/CloseButton.css";
import "@mantine/core/styles/Group.css";
import "@mantine/core/styles/ModalBase.css";
import "@mantine/core/styles/Input.css";
import "@mantine/core/styles/Alert.css";
import "@mantine/core/styles/Text.css";
import "@mantine/core/styles/Anchor.css";
import "@mantine/core/styles/Combobox.css";
import "@mantine/core/styles/InlineInput.css";
import "@mantine/core/styles/Badge.css";
import "@mantine/core/styles/Button.css";
import "@mantine/core/styles/Center.css";
import "@mantine/core/styles/Code.css";
import "@mantine/core/styles/Fieldset.css";
import "@mantine/core/styles/Modal.css";
import "@mantine/core/styles/Pagination.css";
import "@mantine/core/styles/Progress.css";
import "@mantine/core/styles/RadioIndicator.css";
import "@mantine/core/styles/Radio.css";
import "@mantine/core/styles/SimpleGrid.css";
import "@mantine/core/styles/Stack.css";
import "@mantine/core/styles/Table.css";
import "@mantine/core/styles/Tabs.css";
import "@mantine/core/styles/Title.css";
import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { MantineProvider } from "@mantine/core";
import { getServerSession } from "next-auth";
import { authOptions } from "@/server/auth/next-auth";
import { AppFrame } from "@/components/app-frame";
import { TRPCReactProvider } from "@/trpc/client";
import { theme } from "@/components/theme";

export const dynamic = "force-dynamic";

// Every page in this group needs a session. The proxy already redirects with a callbackUrl;
// this check is the one that can't be skipped. MantineProvider and the tRPC client live here,
// not in the root layout, so the sign-in page loads neither.
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const session = await getServerSession(authOptions);
  if (!session?.user) redirect("/signin");
  return (
    <MantineProvider theme={theme} forceColorScheme="light">
      <TRPCReactProvider>
        <AppFrame email={session.user.email ?? ""}>{children}</AppFrame>
      </TRPCReactProvider>
    </MantineProvider>
  );
}
