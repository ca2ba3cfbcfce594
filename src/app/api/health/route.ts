// A liveness probe: answers without touching the database or reading anything of the caller's.
// It is also the floor the API bench compares reads with (npm run bench:api): a route handler
// that returns a constant costs what Next.js itself costs per request.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true });
}
