import NextAuth from "next-auth";
import { authOptions, withRefusalStatus } from "@/server/auth/next-auth";

const handler = NextAuth(authOptions);

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Sign-in refused for a while (too many failures, the database away) answers 429 / 503 with Retry-After.
const post = async (req: Request, context: RouteContext) => withRefusalStatus(await handler(req, context));

export { handler as GET, post as POST };
