// Reading the served OpenAPI document in tests: its operations, its $refs, and a small
// structural check of a JSON value against the schema subset the document uses.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { api, type RestServer, type TestUser } from "./context";

export type Json = Record<string, any>;

const METHODS = ["get", "post", "put", "patch", "delete"];

export function operationsOf(doc: Json): Array<{ path: string; method: string; op: Json }> {
  return Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op: op as Json })),
  );
}

export function resolve(doc: Json, schema: Json): Json {
  if (typeof schema.$ref !== "string") return schema;
  const name = schema.$ref.replace("#/components/schemas/", "");
  const target = doc.components.schemas[name];
  expect(target, `dangling $ref ${schema.$ref}`).toBeDefined();
  return target;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}

/** A small structural check of a JSON value against the schema subset this document uses. */
export function conforms(doc: Json, schemaIn: Json, value: unknown, where = "$"): string[] {
  const schema = resolve(doc, schemaIn);
  const problems: string[] = [];
  const types = ([] as string[]).concat(schema.type ?? []);
  if (schema.const !== undefined && value !== schema.const) problems.push(`${where}: expected ${schema.const}`);
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${where}: ${JSON.stringify(value)} not in enum`);
  if (types.length > 0 && !types.some((type) => hasType(value, type))) problems.push(`${where}: not ${types.join(" or ")}`);
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${where}: below minimum`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${where}: above maximum`);
  }
  if (schema.pattern && typeof value === "string" && !new RegExp(schema.pattern).test(value)) problems.push(`${where}: does not match pattern`);
  if (types.includes("object") && value && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Json;
    for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${where}.${key}: required but missing`);
    for (const [key, child] of Object.entries(record)) {
      const childSchema = schema.properties?.[key];
      if (!childSchema) {
        if (schema.additionalProperties === false) problems.push(`${where}.${key}: not documented`);
        continue;
      }
      problems.push(...conforms(doc, childSchema, child, `${where}.${key}`));
    }
  }
  if (types.includes("array") && Array.isArray(value) && schema.items) {
    value.forEach((item, i) => problems.push(...conforms(doc, schema.items, item, `${where}[${i}]`)));
  }
  return problems;
}


/** Ids a test can put in any path or body field of the same name. */
export type Ids = Record<string, string>;

/**
 * Through the API: a fresh draft LinkedIn campaign holding nothing yet (campaignId), a list of two
 * valid rows (listId), and an import run of that list into another campaign (runId).
 */
export async function apiFixture(server: RestServer, owner: TestUser): Promise<Ids> {
  const rows = [1, 2].map((i) => ({ linkedin_url: `https://www.linkedin.com/in/fixture-${randomUUID()}-${i}`, profile_data: { firstName: `Row ${i}` } }));
  const list = await api(server, owner.apiKey, "POST", "/lists", { name: "Fixture", rows });
  const campaign = await api(server, owner.apiKey, "POST", "/campaigns", { name: "Fixture", channel: "linkedin" });
  const other = await api(server, owner.apiKey, "POST", "/campaigns", { name: "Fixture runs", channel: "linkedin" });
  const imported = await api(server, owner.apiKey, "POST", `/campaigns/${other.body.id}/leads/import-from-list`, { listId: list.body.id });
  expect([list.status, campaign.status, other.status, imported.status]).toEqual([200, 200, 200, 200]);
  return { campaignId: campaign.body.id, listId: list.body.id, runId: imported.body.runId };
}

function idFor(name: string, ids: Ids): string {
  const id = ids[name];
  expect(id, `no fixture id for "${name}": add one to apiFixture() in test/helpers/openapi-doc.ts`).toBeDefined();
  return id!;
}

// Inputs the generic example can't make valid: a prospect needs the (LinkedIn) campaign's identity.
const BODY_OVERRIDES: Record<string, () => unknown> = {
  "campaign-addProspects": () => ({ prospects: [{ linkedin_url: `https://www.linkedin.com/in/fixture-${randomUUID()}` }] }),
};

/**
 * A request the operation should accept, from its documented parameters and body: path ids from
 * the fixture, required values only. A body only when the body is required.
 */
export function exampleRequest(doc: Json, op: Json, ids: Ids): { params: Json; body: unknown } {
  const params: Json = {};
  for (const p of op.parameters ?? []) {
    if (p.in === "path") (params.path ??= {})[p.name] = idFor(p.name, ids);
    else if (p.required) (params[p.in] ??= {})[p.name] = example(doc, p.schema, p.name, ids);
  }
  const override = BODY_OVERRIDES[op.operationId as string];
  const body = override ? override() : op.requestBody?.required ? example(doc, op.requestBody.content["application/json"].schema, "body", ids) : undefined;
  return { params, body };
}

/** The smallest valid value of a schema: required properties only, uuids from the fixture by name. */
function example(doc: Json, schemaIn: Json, name: string, ids: Ids): unknown {
  const schema = resolve(doc, schemaIn);
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const type = ([] as string[]).concat(schema.type ?? "object")[0];
  switch (type) {
    case "object":
      return Object.fromEntries((schema.required ?? []).map((key: string) => [key, example(doc, schema.properties?.[key] ?? {}, key, ids)]));
    case "array":
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () => example(doc, schema.items ?? {}, name, ids));
    case "string":
      return schema.format === "uuid" ? idFor(name, ids) : `Example ${name}`;
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    default:
      return null;
  }
}
