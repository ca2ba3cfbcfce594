import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";

// Runs before every page (not /api, not static files):
//  - signed-out visitors of app pages go to the sign-in page, remembering where they were going
//    (the (app) layout checks the session again: this only adds the redirect with callbackUrl);
//  - every page gets a Content-Security-Policy with a fresh nonce. Next.js puts the nonce on its
//    own scripts when it finds the policy on the request; the root layout puts it on Mantine's
//    colour-scheme script.

const SIGNED_IN_ONLY = /^\/(?:$|campaigns(?:\/|$)|lists(?:\/|$)|settings(?:\/|$))/;

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Mantine sets CSS variables in style attributes, which no nonce can cover; styles can't run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (SIGNED_IN_ONLY.test(pathname)) {
    const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
    if (!token) {
      const url = new URL("/signin", request.url);
      url.search = "";
      url.searchParams.set("callbackUrl", `${pathname}${search}`);
      return NextResponse.redirect(url);
    }
  }

  const nonce = btoa(crypto.randomUUID());
  const policy = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon).*)",
      // Prefetches carry no document to protect and would only waste a nonce.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
