import { handleMcpRequest } from "@/server/mcp/handler";

export const dynamic = "force-dynamic";

// The Model Context Protocol endpoint. A static route: it wins over the REST catch-all beside it.
const handler = (req: Request) => handleMcpRequest(req);

export { handler as GET, handler as POST, handler as DELETE };
