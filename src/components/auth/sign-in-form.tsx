"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { postToNextAuth } from "./next-auth-post";
import { signInErrorMessage } from "./sign-in-errors";
import styles from "./sign-in.module.css";

/**
 * The sign-in form, the one client island of the sign-in page: plain inputs (no Mantine
 * components, no next-auth client), posting to next-auth's credentials endpoint the way
 * next-auth's signIn() does, so a refusal shows here without a reload and the fields keep their
 * values. errorCode: next-auth's ?error=… when a sign-in was sent back to this page.
 */
export function SignInForm({ callbackUrl, errorCode }: { callbackUrl: string; errorCode?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(signInErrorMessage(errorCode));
  const [busy, setBusy] = useState(false);
  const [showPassword, setShowPassword] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const code = await postCredentials(String(form.get("email") ?? ""), String(form.get("password") ?? ""), callbackUrl);
    if (code === null) {
      router.replace(callbackUrl);
      router.refresh();
      return;
    }
    setBusy(false);
    // Too many failures (429) and the database away (503) come with how long to wait.
    setError(signInErrorMessage(code));
  }

  return (
    <form onSubmit={submit} method="post" action="/api/auth/callback/credentials" aria-describedby={error ? "signin-error" : undefined} className={styles.form}>
      {error && (
        <div role="alert" id="signin-error" className={styles.alert}>
          {error}
        </div>
      )}
      <div className={styles.field}>
        <label htmlFor="signin-email" className={styles.label}>
          Email <span aria-hidden="true" className={styles.required}>*</span>
        </label>
        <input id="signin-email" name="email" type="email" autoComplete="email" required autoFocus className={styles.input} />
      </div>
      <div className={styles.field}>
        <label htmlFor="signin-password" className={styles.label}>
          Password <span aria-hidden="true" className={styles.required}>*</span>
        </label>
        <div className={styles.passwordWrap}>
          <input
            id="signin-password"
            name="password"
            type={showPassword ? "text" : "password"}
            autoComplete="current-password"
            required
            className={styles.input}
          />
          <button
            type="button"
            className={styles.reveal}
            aria-pressed={showPassword}
            aria-label={showPassword ? "Hide password" : "Show password"}
            onClick={() => setShowPassword((shown) => !shown)}
          >
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2">
              <path d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z" />
              <circle cx="12" cy="12" r="3" />
              {showPassword && <path d="M3 3l18 18" />}
            </svg>
          </button>
        </div>
      </div>
      <button type="submit" className={styles.submit} disabled={busy} aria-busy={busy || undefined}>
        Sign in
      </button>
    </form>
  );
}

/**
 * What next-auth's signIn("credentials", { redirect: false }) does: next-auth answers with the URL
 * it would redirect to, whose ?error=… says why a sign-in failed. Returns null on success, else the code.
 */
async function postCredentials(email: string, password: string, callbackUrl: string): Promise<string | null> {
  try {
    const response = await postToNextAuth("/api/auth/callback/credentials", { email, password, callbackUrl });
    const { url } = (await response.json()) as { url?: string };
    const error = url ? new URL(url, window.location.href).searchParams.get("error") : null;
    return response.ok && !error ? null : (error ?? "SignInFailed");
  } catch {
    return "SignInFailed";
  }
}
