// The error codes sign-in answers with, shared by the server (which writes them) and the form
// (which explains them). next-auth passes only an error string from the server to the page
// (`?error=…`, and `error` in signIn()'s result), so a refusal carries its wait in that string.

/** A refusal for a while: too many failed attempts, or the database away. */
export type SignInRefusal = { kind: "rate_limited" | "unavailable"; retryAfterSeconds: number };

export function refusalCode(refusal: SignInRefusal): string {
  return `${refusal.kind}:${refusal.retryAfterSeconds}`;
}

export function parseRefusal(code: string | null | undefined): SignInRefusal | null {
  const match = /^(rate_limited|unavailable):(\d{1,6})$/.exec(code ?? "");
  return match ? { kind: match[1] as SignInRefusal["kind"], retryAfterSeconds: Number(match[2]) } : null;
}

/** "30 seconds", "1 minute", "15 minutes": how long to wait, rounded up to what a person reads. */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** What the sign-in form says for an error code from next-auth, or null for none. */
export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  const refusal = parseRefusal(code);
  if (refusal?.kind === "rate_limited") return `Too many failed sign-ins. Please wait ${waitText(refusal.retryAfterSeconds)} and try again.`;
  if (refusal?.kind === "unavailable") return `The service is unavailable. Please try again in ${waitText(refusal.retryAfterSeconds)}.`;
  if (code === "CredentialsSignin") return "Wrong email or password.";
  return "Sign-in failed. Please try again.";
}
