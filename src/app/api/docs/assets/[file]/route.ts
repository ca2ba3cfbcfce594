import { readFile } from "node:fs/promises";
import path from "node:path";

const INIT = `window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: true });`;

// Only these files are served: the name never reaches the file system unchecked.
const FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

export async function GET(_req: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  if (file === "init.js") return new Response(INIT, { headers: { "content-type": "text/javascript; charset=utf-8" } });
  const type = FILES[file];
  if (!type) return Response.json({ message: "Not found", code: "NOT_FOUND" }, { status: 404 });
  const body = await readFile(path.join(process.cwd(), "node_modules", "swagger-ui-dist", file));
  return new Response(body, { headers: { "content-type": type, "cache-control": "public, max-age=86400" } });
}
