import { z } from "zod";
import { fromJsonSchema, type JsonSchemaType, type StandardSchemaWithJSON } from "@modelcontextprotocol/server";

// The tools advertise the procedures' own zod schemas as JSON Schema. Two things differ from
// what zod emits by itself:
//  - dates travel as JSON, so a z.date() is advertised as an ISO 8601 string (as REST sends it);
//  - schemas with an id (.meta({ id })) are inlined rather than put in $defs: MCP wants an object
//    at the root of every tool schema, and agents read an inline schema more easily.

type Json = Record<string, unknown>;

export function toJsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const json = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === "date") Object.assign(jsonSchema, { type: "string", format: "date-time" });
    },
    unrepresentable: "any",
  }) as Json;
  const { $defs, ...root } = json;
  return inlineRefs(root, ($defs ?? {}) as Record<string, Json>) as Json;
}

// The schemas here have no cycles, so every "#/$defs/X" can be replaced by X itself.
function inlineRefs(node: unknown, defs: Record<string, Json>): unknown {
  if (Array.isArray(node)) return node.map((child) => inlineRefs(child, defs));
  if (node === null || typeof node !== "object") return node;
  const { $ref, ...rest } = node as Json;
  const target = typeof $ref === "string" && $ref.startsWith("#/$defs/") ? defs[$ref.slice("#/$defs/".length)] : undefined;
  const merged = target ? { ...target, ...rest } : (node as Json);
  return Object.fromEntries(Object.entries(merged).map(([key, value]) => [key, inlineRefs(value, defs)]));
}

/**
 * A tool's input as the SDK wants it: the strict JSON Schema of the procedure's input for
 * tools/list, and a validator that lets every value through. The arguments are validated by
 * the tool itself (src/server/mcp/server.ts), so that a bad argument is answered with the same
 * { message, code, issues } as REST rather than the SDK's own text.
 */
export function advertisedInput(schema: z.ZodObject): StandardSchemaWithJSON {
  const json = toJsonSchema(schema.strict(), "input");
  return {
    "~standard": {
      version: 1,
      vendor: "outreach",
      validate: (value: unknown) => ({ value }),
      jsonSchema: { input: () => json, output: () => json },
    },
  };
}

/**
 * A tool's output: its JSON Schema, which the SDK also checks every structuredContent against
 * before it is sent (the procedure has already checked the value itself with the zod schema).
 */
export function advertisedOutput(schema: z.ZodType): StandardSchemaWithJSON {
  return fromJsonSchema(toJsonSchema(schema, "output") as JsonSchemaType);
}
