import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getServerSession } from "next-auth";
import { db } from "../db";
import { env } from "../../env";
import { signIn, signInLimits, type SignInLimits } from "../domain/sign-in";
import { domainErrorOf, httpStatusOf } from "../api/http-status";
import { DomainError } from "../domain/errors";
import { parseRefusal, refusalCode } from "@/components/auth/sign-in-errors";
import { clientAddress } from "./client-address";

let limits: SignInLimits | undefined;
function appSignInLimits(): SignInLimits {
  const config = env();
  limits ??= signInLimits(db(), {
    perAccount: config.RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT,
    perAddress: config.RATE_LIMIT_SIGNIN_FAILURES_PER_ADDRESS,
    windowMinutes: config.RATE_LIMIT_SIGNIN_WINDOW_MINUTES,
  });
  return limits;
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt" },
  // Errors too go to the sign-in page (?error=…), which explains them, also to a browser without JavaScript.
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        const address = clientAddress(req.headers ?? {}, env().TRUST_PROXY);
        try {
          return await signIn(db(), appSignInLimits(), { email: credentials.email, password: credentials.password, address });
        } catch (error) {
          // next-auth hands the message on to the page as ?error=…: a refusal with its wait, never internals.
          // The route (src/app/api/auth/[...nextauth]/route.ts) answers a refusal with its status and Retry-After.
          const domain = domainErrorOf(error);
          if ((domain?.kind === "rate_limited" || domain?.kind === "unavailable") && domain.retryAfterSeconds) {
            throw new Error(refusalCode({ kind: domain.kind, retryAfterSeconds: domain.retryAfterSeconds }));
          }
          console.error("sign-in failed:", error);
          throw new Error("SignInFailed");
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};

/** The signed-in user's id from the session cookie, or null. */
export async function sessionUserId(): Promise<string | null> {
  const session = await getServerSession(authOptions);
  return (session?.user as { id?: string } | undefined)?.id ?? null;
}

/**
 * next-auth answers every failed credentials sign-in with 401 and the error in the URL it returns.
 * For a refusal (too many failures, the database away) the JSON answer that signIn() reads gets
 * the refusal's status (429, 503) and Retry-After instead. A form post without JavaScript is
 * still redirected, to the sign-in page, which says how long to wait.
 */
export async function withRefusalStatus(response: Response): Promise<Response> {
  if (response.status !== 401 || !response.headers.get("content-type")?.includes("application/json")) return response;
  const body = (await response.clone().json().catch(() => null)) as { url?: unknown } | null;
  const url = typeof body?.url === "string" ? URL.parse(body.url) : null;
  const refusal = parseRefusal(url?.searchParams.get("error"));
  if (!refusal) return response;
  const headers = new Headers(response.headers);
  headers.set("Retry-After", String(refusal.retryAfterSeconds));
  const status = httpStatusOf(new DomainError(refusal.kind, "", refusal.retryAfterSeconds));
  return new Response(response.body, { status, headers });
}
