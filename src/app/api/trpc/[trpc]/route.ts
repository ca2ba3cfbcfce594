import { handleTrpcRequest } from "@/server/api/trpc-handler";
import { sessionUserId } from "@/server/auth/next-auth";

export const dynamic = "force-dynamic";

const handler = (req: Request) => handleTrpcRequest(req, { sessionUserId });

export { handler as GET, handler as POST };
