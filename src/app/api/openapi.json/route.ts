import { openApiDocument } from "@/server/api/openapi";

// Built per request, not at build time: its server URL is the running app's NEXTAUTH_URL.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(openApiDocument());
}
