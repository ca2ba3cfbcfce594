import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/server/auth/next-auth";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeCallbackUrl } from "@/components/auth/callback-url";
import styles from "@/components/auth/sign-in.module.css";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }> }) {
  const { callbackUrl, error } = await searchParams;
  const target = safeCallbackUrl(callbackUrl);
  if (await getServerSession(authOptions)) redirect(target);
  // A server component: only the form is a client island (src/components/auth/sign-in-form.tsx).
  return (
    <div className={styles.page}>
      <main className={styles.card}>
        <h1 className={styles.title}>Sign in</h1>
        <SignInForm callbackUrl={target} errorCode={Array.isArray(error) ? error[0] : error} />
      </main>
    </div>
  );
}
