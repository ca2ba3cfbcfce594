// Only Mantine's base styles here (about 30 KB of the 300 KB): the sign-in page draws itself with
// them and a CSS module. The signed-in layout loads the component styles and MantineProvider, so
// the sign-in page ships no Mantine JavaScript at all.
import "@mantine/core/styles/baseline.css";
import "@mantine/core/styles/default-css-variables.css";
import "@mantine/core/styles/global.css";
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = {
  title: { default: "Outreach", template: "%s · Outreach" },
  description: "Campaigns, lists and imports",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  // The app uses Mantine's light scheme only (MantineProvider forceColorScheme="light"), so the
  // attribute Mantine's CSS keys on is fixed here and no colour-scheme script has to run first.
  return (
    <html lang="en" data-mantine-color-scheme="light" suppressHydrationWarning>
      <body>{children}</body>
    </html>
  );
}
