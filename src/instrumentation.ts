// Runs once when the Next.js server starts: configuration is checked before any request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./env");
  // Limits per client address need the TCP peer's address, which route handlers can't see.
  const { recordPeerAddresses } = await import("./server/auth/client-address");
  recordPeerAddresses();
  try {
    const config = env();
    if (config.IMPORT_FAIL_PAGE) {
      const line = "!".repeat(78);
      console.warn(
        `${line}\n!! FAULT INJECTION ON: IMPORT_FAIL_PAGE=${config.IMPORT_FAIL_PAGE} — page read ${config.IMPORT_FAIL_PAGE} of EVERY import fails.\n!! For end-to-end tests only. Unset IMPORT_FAIL_PAGE for normal use.\n${line}`,
      );
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
