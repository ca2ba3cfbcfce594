import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { appRouter } from "./root";
import { importListMeta } from "./routers/campaign/import-list.types";
import { MAX_BODY_BYTES } from "./rest-handler";
import { CROSS_SITE_MESSAGE } from "./cross-site";
import { publicOrigin } from "../../env";
import { duplicateReasons, emptyInvalidReasons, type InvalidReasonCounts } from "../domain/skip-reasons";

const IMPORT_PATH = importListMeta.openapi.path;

const reasons = (invalid: Partial<InvalidReasonCounts>, repeated: number, duplicates: number) => ({
  invalidReasons: { ...emptyInvalidReasons(), ...invalid },
  duplicateReasons: duplicateReasons(duplicates, repeated),
});

const example = (counts: Record<string, unknown>) => ({
  ...counts,
  runId: "7b0d7c52-4b9e-4a3e-9d59-2f1d0f5c8a11",
});

const IMPORT_RESPONSES = {
  "200": {
    summary: "The whole list was read and at least one prospect inserted",
    value: example({ imported: 850, duplicates: 50, invalid: 100, errors: 0, total: 1000, outcome: "complete", ...reasons({ placeholder_url: 80, missing_linkedin_url: 20 }, 10, 50) }),
  },
  "206": {
    description:
      "Partial: a page fetch failed mid-run after earlier rows had already committed. Nothing is rolled back; the counts are what was committed. Retry with the same listId to pick up the remaining rows (already-imported prospects come back as duplicates). Show it as \"imported so far\".",
    value: example({ imported: 1700, duplicates: 0, invalid: 300, errors: 0, total: 2000, partial: true, outcome: "partial", ...reasons({ not_a_profile_url: 300 }, 0, 0) }),
  },
  "422": {
    description:
      "The list was readable but zero prospects could be imported: every row invalid, every row a duplicate, a mix of the two, or an empty list. The body still holds the count breakdown.",
    value: example({ imported: 0, duplicates: 900, invalid: 100, errors: 0, total: 1000, outcome: "nothing_imported", ...reasons({ missing_linkedin_url: 100 }, 0, 900) }),
  },
  "500": {
    description: "Failed to fetch any list rows, or every insert batch errored. The body holds the count breakdown.",
    value: example({ imported: 0, duplicates: 0, invalid: 0, errors: 1000, total: 1000, outcome: "failed", ...reasons({}, 0, 0) }),
  },
} as const;

const ERROR_EXAMPLES: Record<string, { message: string; code: string }> = {
  "400": { message: "Input validation failed", code: "BAD_REQUEST" },
  "401": { message: "invalid or revoked API key", code: "UNAUTHORIZED" },
  "404": { message: "list not found", code: "NOT_FOUND" },
};

type Operation = {
  parameters?: unknown[];
  requestBody?: { required?: boolean; description?: string; content?: Record<string, { schema?: unknown; example?: unknown }> };
  responses: Record<string, { description?: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown; example?: unknown }> }>;
};

// Every tag an operation uses must be declared here, with what it groups (Spectral's operation-tag-defined).
const TAGS = [
  { name: "campaigns", description: "Email and LinkedIn campaigns, their prospects, and importing saved lists into them" },
  { name: "lists", description: "Saved lists of people, the source of imports" },
];

/**
 * The OpenAPI 3.1 document of the REST API: generated from the procedures, then completed.
 * Its server URL is absolute: the app's public origin (NEXTAUTH_URL) + /api.
 */
export function openApiDocument(baseUrl = `${publicOrigin()}/api`): OpenAPIObject {
  const doc = generateOpenApiDocument(appRouter, {
    title: "Outreach campaigns API",
    version: "1.0.0",
    description: `JSON over HTTPS with Bearer API keys (create one under Settings). Request bodies are limited to ${MAX_BODY_BYTES} bytes (413 above). Ids are UUIDs; anything else is a 400. A list or campaign that does not exist or is not yours is a 404.`,
    contact: { name: "Outreach campaigns", url: `${new URL(baseUrl).origin}/api/docs` },
    baseUrl,
    securitySchemes: { Authorization: { type: "http", scheme: "bearer", description: "Authorization: Bearer <API key>" } },
  });
  doc.tags = TAGS;
  completeImportOperation(doc);
  documentBodylessActions(doc);
  describeErrorIssues(doc);
  describeOperationalErrors(doc);
  return doc;
}

// An action whose only input is in its path (launch) has no body to document, but a client may
// still send one: the REST handler takes no body, and an empty JSON object, as "no input". Say so,
// so that generated clients may send either.
function documentBodylessActions(doc: OpenAPIObject) {
  for (const [method, op] of operations(doc)) {
    if (method === "get" || method === "delete" || op.requestBody) continue;
    op.requestBody = {
      required: false,
      description: "No input: send no body, or an empty JSON object",
      content: { "application/json": { schema: { type: "object", properties: {}, additionalProperties: false } } },
    };
  }
}

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);

function operations(doc: OpenAPIObject): Array<[method: string, op: Operation, path: string]> {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]): [string, Operation, string] => [method, op, path]),
  );
}

// The REST handler sends each validation issue as { message, path } (rest-handler.ts);
// the generator documents { message } only. Say what is really sent.
function describeErrorIssues(doc: OpenAPIObject) {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, { properties?: Record<string, { items?: unknown }> }>;
  for (const [name, schema] of Object.entries(schemas)) {
    const issues = name.startsWith("error.") ? schema.properties?.issues : undefined;
    if (!issues) continue;
    issues.items = {
      type: "object",
      properties: {
        message: { type: "string" },
        path: { type: "array", items: { type: ["string", "integer"], minimum: 0 }, description: "Where in the input, e.g. [\"prospects\", 3, \"email\"]" },
      },
      required: ["message", "path"],
      additionalProperties: false,
    };
  }
}

// trpc-to-openapi writes 200 and the listed errors only. The import also answers 206, 422
// and 500 with the counts body: add them, pointing at the same ImportResult schema.
function completeImportOperation(doc: OpenAPIObject) {
  const operation = doc.paths?.[IMPORT_PATH]?.post as Operation | undefined;
  if (!operation) throw new Error(`OpenAPI document has no POST ${IMPORT_PATH}`);
  const schema = { $ref: "#/components/schemas/ImportResult" };
  const request = operation.requestBody?.content?.["application/json"];
  if (request) request.example = { listId: "3f9a2c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6b" };
  const ok = operation.responses["200"]!;
  // The procedure's output is "counts or a run": 200 is the counts, 202 the run (background).
  ok.content!["application/json"]!.schema = schema;
  ok.content!["application/json"]!.example = IMPORT_RESPONSES["200"].value;
  describeBackgroundRun(operation);
  for (const status of ["206", "422", "500"] as const) {
    const { description, value } = IMPORT_RESPONSES[status];
    operation.responses[status] = { description, content: { "application/json": { schema, example: value } } };
  }
  for (const [status, value] of Object.entries(ERROR_EXAMPLES)) {
    const content = operation.responses[status]?.content?.["application/json"];
    if (content) content.example = value;
  }
}

// Prefer: respond-async (RFC 7240) asks for a background run: 202 with the run and its Location.
function describeBackgroundRun(operation: Operation) {
  operation.parameters = [
    ...(operation.parameters ?? []),
    {
      name: "Prefer",
      in: "header",
      required: false,
      description: "`respond-async`: run the import in the background and answer 202 at once (the same as `background: true` in the body).",
      schema: { type: "string", examples: ["respond-async"] },
    },
  ];
  operation.responses["202"] = {
    description:
      "Accepted: a background run was started (or this list is already being imported into this campaign: that run). The body is the run as it stands; follow it at the Location, GET /api/imports/{runId}, until its httpStatus is set.",
    headers: {
      Location: { description: "/api/imports/{runId}", schema: { type: "string" } },
      "Preference-Applied": { description: "respond-async", schema: { type: "string" } },
    },
    content: {
      "application/json": {
        schema: { $ref: "#/components/schemas/ImportRun" },
        example: {
          id: "7b0d7c52-4b9e-4a3e-9d59-2f1d0f5c8a11",
          runId: "7b0d7c52-4b9e-4a3e-9d59-2f1d0f5c8a11",
          campaignId: "0c1f6a3e-2b4d-4e8f-9a7b-6c5d4e3f2a1b",
          listId: "3f9a2c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6b",
          listName: "Q3 prospects",
          status: "queued",
          httpStatus: null,
          background: true,
          resumedCount: 0,
          cancelRequested: false,
          listTotal: 2500,
          total: 0,
          imported: 0,
          duplicates: 0,
          invalid: 0,
          errors: 0,
          ...reasons({}, 0, 0),
          startedAt: "2026-12-01T09:00:00.000Z",
          finishedAt: null,
        },
      },
    },
  };
}

const ERROR_BODY = {
  type: "object",
  properties: { message: { type: "string" }, code: { type: "string" } },
  required: ["message", "code"],
};

const errorResponse = (description: string, code: string, message: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema: ERROR_BODY, example: { message, code } } },
});

const RETRY_AFTER = {
  "Retry-After": { description: "Seconds to wait before trying again", required: true, schema: { type: "integer", minimum: 1 } },
};

// Statuses the generator can't know about: they come from the handler and the middleware,
// not from a procedure's input or output.
function describeOperationalErrors(doc: OpenAPIObject) {
  for (const [method, op, path] of operations(doc)) {
    const responses = op.responses;
    responses["503"] ??= errorResponse("The database is unreachable; retry after the Retry-After header's seconds", "SERVICE_UNAVAILABLE", "database unavailable, try again shortly", RETRY_AFTER);
    if (method === "get" || method === "head") continue;
    responses["403"] ??= errorResponse(
      "Refused cross-site request: a change made with a browser session (not an API key) must come from this app's own pages",
      "FORBIDDEN",
      CROSS_SITE_MESSAGE,
    );
    responses["413"] ??= errorResponse(`The request body is larger than ${MAX_BODY_BYTES} bytes`, "PAYLOAD_TOO_LARGE", "request body is too large");
    responses["415"] ??= errorResponse("A body was sent without Content-Type: application/json", "UNSUPPORTED_MEDIA_TYPE", "Missing content-type header");
    responses["429"] ??= errorResponse("Rate limited per API key; retry after the Retry-After header's seconds", "TOO_MANY_REQUESTS", "rate limit exceeded", RETRY_AFTER);
    if (path === IMPORT_PATH) {
      responses["409"] ??= errorResponse(
        "Another import of this list into this campaign is still running and did not finish within the wait",
        "CONFLICT",
        "another import of this list into this campaign is still running; try again when it has finished",
      );
    }
  }
}
