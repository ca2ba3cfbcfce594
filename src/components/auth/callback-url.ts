/** Only same-site paths: "/x" yes; "//evil.example", "https://…" and "/\evil" no. */
export function safeCallbackUrl(value: string | string[] | undefined | null): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return "/campaigns";
  if (raw.startsWith("/signin") || raw.startsWith("/api/")) return "/campaigns";
  return raw;
}
