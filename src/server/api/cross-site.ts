// Cross-site request forgery guard for /api (REST and tRPC).
//
// A POST without a body, or with a form body, is a "simple" request: a browser sends it from any
// page without asking the server first, and with the app's cookies whenever the page is on the
// same site (a sibling subdomain counts, even for SameSite=Lax). So a change authenticated by
// the session cookie must prove it came from the app's own pages. A Bearer key can't be attached
// by another site, so API-key calls are never refused here.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether the browser says the request came from the app itself: Sec-Fetch-Site when the
 * browser sends it (pages can't forge it), otherwise an Origin equal to the app's public origin.
 * No evidence at all (an old browser, a script with a stolen cookie) is not enough.
 */
export function fromAppItself(req: Request, appOrigin: string): boolean {
  const site = req.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  return req.headers.get("origin") === appOrigin;
}

export const CROSS_SITE_MESSAGE = "cross-site request refused: a change made with a browser session must come from this app's own pages";

/**
 * Whether to refuse (403) a request: a state-changing one, authenticated by the session cookie,
 * that did not come from the app itself. Requests with an Authorization header and requests
 * without a session go on (the procedure answers them: a key is checked, no session is a 401).
 */
export async function isCrossSiteChange(req: Request, appOrigin: string, sessionUserId: () => Promise<string | null>): Promise<boolean> {
  if (SAFE_METHODS.has(req.method) || req.headers.has("authorization") || fromAppItself(req, appOrigin)) return false;
  return (await sessionUserId()) !== null;
}
