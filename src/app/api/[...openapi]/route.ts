import { handleRestRequest } from "@/server/api/rest-handler";
import { sessionUserId } from "@/server/auth/next-auth";

export const dynamic = "force-dynamic";

const handler = (req: Request) => handleRestRequest(req, { sessionUserId });

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as HEAD };
