// Headers every response carries, from Next.js (next.config.ts) and from the direct REST path
// (direct-rest.ts) alike. The Content-Security-Policy with a per-request nonce is set in
// src/proxy.ts, because Next.js can only put a nonce on its scripts from there.
export const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];
