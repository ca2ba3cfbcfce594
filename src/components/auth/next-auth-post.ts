/**
 * A form POST to one of next-auth's endpoints the way its client library makes it (which the app
 * does not ship): first a CSRF token, then the fields with that token and json=true, so next-auth
 * answers with JSON ({ url }) instead of a redirect.
 */
export async function postToNextAuth(path: string, fields: Record<string, string>): Promise<Response> {
  const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  return fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, csrfToken, json: "true" }),
  });
}
