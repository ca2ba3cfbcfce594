// Every component's styles, for the pages that use Mantine components (the root layout has
// only the base styles, which is all the sign-in page needs).
import "@mantine/core/styles.css";
import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/server/auth/next-auth";
import { AppFrame } from "@/components/app-frame";
import { TRPCReactProvider } from "@/trpc/client";

export const dynamic = "force-dynamic";

// Every page in this group needs a session. The proxy already redirects with a callbackUrl;
// this check is the one that can't be skipped. The tRPC client lives here, not in the root
// layout, so the sign-in page doesn't load it.
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const session = await getServerSession(authOptions);
  if (!session?.user) redirect("/signin");
  return (
    <TRPCReactProvider>
      <AppFrame email={session.user.email ?? ""}>{children}</AppFrame>
    </TRPCReactProvider>
  );
}
