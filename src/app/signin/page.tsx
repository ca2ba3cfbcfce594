import type { CSSProperties } from "react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/server/auth/next-auth";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeCallbackUrl } from "@/components/auth/callback-url";
import styles from "@/components/auth/sign-in.module.css";
import { theme } from "@/components/theme";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }> }) {
  const { callbackUrl, error } = await searchParams;
  const target = safeCallbackUrl(callbackUrl);
  if (await getServerSession(authOptions)) redirect(target);
  // A server component: only the form is a client island (src/components/auth/sign-in-form.tsx).
  return (
    <div className={styles.page} style={THEME_VARIABLES}>
      <main className={styles.card}>
        <h1 className={styles.title}>Sign in</h1>
        <SignInForm callbackUrl={target} errorCode={Array.isArray(error) ? error[0] : error} />
      </main>
    </div>
  );
}

// No MantineProvider on this page (it would ship and hydrate Mantine's JavaScript), so the CSS
// variables it would set from the theme, where they differ from Mantine's defaults, are set here
// for the variables sign-in.module.css uses: the primary shade, the darkened gray and red shades
// (contrast, see src/components/theme.ts), the default radius and the font.
const primary = theme.colors![theme.primaryColor!]!;
const shade = typeof theme.primaryShade === "number" ? theme.primaryShade : theme.primaryShade!.light!;
const THEME_VARIABLES = {
  "--mantine-primary-color-filled": primary[shade],
  "--mantine-primary-color-filled-hover": primary[shade === 9 ? 8 : shade + 1],
  "--mantine-color-dimmed": theme.colors!.gray![6],
  "--mantine-color-red-light-color": theme.colors!.red![9],
  "--mantine-radius-default": `var(--mantine-radius-${theme.defaultRadius})`,
  fontFamily: theme.fontFamily,
} as CSSProperties;
