import { TRPCError } from "@trpc/server";
import { McpServer, type CallToolResult } from "@modelcontextprotocol/server";
import { errorBodyOf } from "../api/http-status";
import { advertisedInput, advertisedOutput } from "./json-schema";
import { tools, type Api, type Tool } from "./tools";

export const SERVER_INFO = { name: "outreach-campaigns", version: "0.1.0" };

const INSTRUCTIONS =
  "Outreach campaigns: saved lists of people, and campaigns (email or LinkedIn) whose prospects come from them. " +
  "To fill a campaign from a list: list_lists and list_campaigns (or create_campaign) for the ids, import_list, then get_import_run with the runId it returns. " +
  'Tool errors come back as a JSON text { "message", "code" } with the same codes as the REST API (BAD_REQUEST, NOT_FOUND, CONFLICT, TOO_MANY_REQUESTS, ...).';

// Built once: the tools' schemas never change, and every request builds a server (it is stateless).
type Registration = { tool: Tool; strictInput: Tool["input"]; inputSchema: ReturnType<typeof advertisedInput>; outputSchema: ReturnType<typeof advertisedOutput> };
let registrations: Registration[] | undefined;
function toolRegistrations(): Registration[] {
  registrations ??= tools.map((tool) => ({
    tool,
    // Arguments a tool does not know are refused, not silently dropped: an agent that misspells
    // one should hear about it.
    strictInput: tool.input.strict(),
    inputSchema: advertisedInput(tool.input),
    outputSchema: advertisedOutput(tool.output),
  }));
  return registrations;
}

/** An MCP server whose tools act as the user `api` calls the procedures for. One per request. */
export function createMcpServer(api: Api): McpServer {
  const server = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS });
  for (const registration of toolRegistrations()) {
    const { tool, inputSchema, outputSchema } = registration;
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, annotations: tool.annotations, inputSchema, outputSchema },
      (args: unknown) => runTool(api, registration, args),
    );
  }
  return server;
}

/**
 * Validates the arguments, calls the procedure and answers with its result as structured
 * content plus a one-line summary. Anything that goes wrong, a bad argument included, is a tool
 * error carrying REST's { message, code, issues? } as JSON text, never a protocol error.
 */
async function runTool(api: Api, { tool, strictInput }: Registration, args: unknown): Promise<CallToolResult> {
  try {
    const checked = strictInput.safeParse(args ?? {});
    if (!checked.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Input validation failed", cause: checked.error });
    const result = await tool.call(api, (args ?? {}) as never);
    return {
      // What REST would send: dates as ISO strings.
      structuredContent: JSON.parse(JSON.stringify(result)) as Record<string, unknown>,
      content: [{ type: "text", text: tool.summary(result) }],
    };
  } catch (error) {
    const body = errorBodyOf(error instanceof TRPCError ? error : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: error }));
    return { isError: true, content: [{ type: "text", text: JSON.stringify(body) }] };
  }
}
