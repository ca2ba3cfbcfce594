// GET /api/openapi.json: served over HTTP by the same route handler Next uses, validated
// with a maintained OpenAPI validator, and checked against what the API really answers.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileErrors, validate } from "@readme/openapi-parser";
import { GET as openApiRoute } from "@/app/api/openapi.json/route";
import { openApiDocument } from "@/server/api/openapi";
import { api, closeTestDb, makeUser, startRestServer, type RestServer, type TestUser } from "../helpers/context";

type Json = Record<string, any>;

let docServer: http.Server;
let served: Json;
let rest: RestServer;
let user: TestUser;

beforeAll(async () => {
  // A real HTTP server around the Next route handler for /api/openapi.json.
  docServer = http.createServer(async (_req, res) => {
    const response = openApiRoute();
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => docServer.listen(0, "127.0.0.1", resolve));
  const { port } = docServer.address() as { port: number };
  const res = await fetch(`http://127.0.0.1:${port}/api/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  served = (await res.json()) as Json;
  rest = await startRestServer();
  user = await makeUser();
});
afterAll(async () => {
  await new Promise((resolve) => docServer.close(resolve));
  await rest.close();
  await closeTestDb();
});

const IMPORT_PATH = "/campaigns/{campaignId}/leads/import-from-list";
const METHODS = ["get", "post", "put", "patch", "delete"];
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function operationsOf(doc: Json): Array<{ path: string; method: string; op: Json }> {
  return Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op: op as Json })),
  );
}

function resolve(doc: Json, schema: Json): Json {
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
function conforms(doc: Json, schemaIn: Json, value: unknown, where = "$"): string[] {
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

describe("the served document", () => {
  it("is exactly openApiDocument()", () => {
    expect(served).toEqual(clone(openApiDocument()));
  });

  it("is a valid OpenAPI 3.1 document according to @readme/openapi-parser", async () => {
    const result = await validate(clone(served) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(result.specification).toBe("OpenAPI");
    expect(result.warnings).toEqual([]);
    expect(served.openapi).toMatch(/^3\.1\./);
  });

  it("the validator is not vacuous: it rejects a broken copy", async () => {
    const broken = clone(served);
    delete broken.info;
    broken.paths[IMPORT_PATH].post.responses["200"] = { content: "not an object" };
    const result = await validate(broken as never);
    expect(result.valid).toBe(false);
  });

  it("documents every REST endpoint, and no key management", () => {
    const ops = operationsOf(served).map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(ops.sort()).toEqual(
      [
        "POST /lists",
        "GET /lists",
        "POST /lists/{listId}/rows",
        "GET /lists/{listId}/rows",
        "POST /campaigns",
        "GET /campaigns",
        "GET /campaigns/{campaignId}",
        "POST /campaigns/{campaignId}/launch",
        "POST /campaigns/{campaignId}/leads",
        "GET /campaigns/{campaignId}/leads",
        `POST ${IMPORT_PATH}`,
        "GET /campaigns/{campaignId}/imports",
        "GET /imports/{runId}",
        "POST /imports/{runId}/cancel",
      ].sort(),
    );
  });

  it("every operation has the Bearer security scheme and documents 400, 401 and 500 (and 404 when it takes an id)", () => {
    const scheme = Object.entries(served.components.securitySchemes as Json).find(([, s]) => s.type === "http" && s.scheme === "bearer");
    expect(scheme, "an http bearer security scheme").toBeDefined();
    const [schemeName] = scheme!;
    for (const { path, method, op } of operationsOf(served)) {
      const where = `${method.toUpperCase()} ${path}`;
      const security = op.security ?? served.security;
      expect(security, where).toEqual(expect.arrayContaining([{ [schemeName]: [] }]));
      for (const status of ["200", "400", "401", "500"]) expect(op.responses[status], `${where} ${status}`).toBeDefined();
      if (path.includes("{")) expect(op.responses["404"], `${where} 404`).toBeDefined();
      for (const param of (op.parameters ?? []).filter((p: Json) => p.in === "path")) {
        expect(param.required, `${where} ${param.name}`).toBe(true);
        expect(param.schema.pattern, `${where} ${param.name} is a UUID`).toMatch(/\[1-8\]/);
      }
    }
  });

  it("documents request bodies for every POST", () => {
    for (const { path, method, op } of operationsOf(served)) {
      // Actions without input (launch, cancel) take no body.
      if (method !== "post" || path.endsWith("/launch") || path.endsWith("/cancel")) continue;
      expect(op.requestBody?.content?.["application/json"]?.schema, `POST ${path}`).toBeDefined();
    }
  });
});

describe("the import endpoint", () => {
  const importOp = () => served.paths[IMPORT_PATH].post as Json;

  it("documents the background run: Prefer: respond-async, 202 with the run and its Location", () => {
    const op = importOp();
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "Prefer", in: "header" })]));
    expect(op.responses["202"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/ImportRun" });
    expect(op.responses["202"].headers.Location).toBeDefined();
    expect(op.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/ImportResult" });
    const run = served.components.schemas.ImportRun;
    expect(run.properties.status.enum).toEqual(expect.arrayContaining(["queued", "cancelled"]));
    expect(Object.keys(run.properties)).toEqual(expect.arrayContaining(["httpStatus", "resumedCount"]));
  });

  it("documents its request body: a required listId UUID, with an example", () => {
    const body = importOp().requestBody;
    expect(body.required).toBe(true);
    const content = body.content["application/json"];
    const schema = resolve(served, content.schema);
    expect(schema.required).toEqual(["listId"]);
    expect(schema.properties.listId).toMatchObject({ type: "string", format: "uuid" });
    expect(content.example).toBeDefined();
    expect(conforms(served, content.schema, content.example)).toEqual([]);
    expect(importOp().parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: "path", name: "campaignId", required: true })]));
  });

  it("200, 206, 422 and 500 bodies point at ImportResult, each with a matching example", () => {
    for (const status of ["200", "206", "422", "500"]) {
      const content = importOp().responses[status]?.content?.["application/json"];
      expect(content, status).toBeDefined();
      expect(content.schema).toEqual({ $ref: "#/components/schemas/ImportResult" });
      expect(content.example, `${status} example`).toBeDefined();
      expect(conforms(served, content.schema, content.example), `${status} example`).toEqual([]);
      const { imported, duplicates, invalid, errors, total } = content.example;
      expect(imported + duplicates + invalid + errors, `${status} example adds up`).toBe(total);
    }
    const examples = (status: string) => importOp().responses[status].content["application/json"].example;
    expect(examples("206").partial).toBe(true);
    expect(examples("200").partial).toBeUndefined();
    expect(examples("422").imported).toBe(0);
    expect(examples("200").imported).toBeGreaterThan(0);
  });

  it("ImportResult: counts bounded 0..9007199254740991, partial, outcome and runId", () => {
    const schema = served.components.schemas.ImportResult as Json;
    for (const count of ["imported", "duplicates", "invalid", "errors", "total"]) {
      expect(schema.properties[count], count).toMatchObject({ type: "integer", minimum: 0, maximum: 9007199254740991 });
      expect(schema.properties[count].description, count).toBeTruthy();
    }
    expect(schema.required).toEqual(expect.arrayContaining(["imported", "duplicates", "invalid", "errors", "total"]));
    expect(schema.required).not.toContain("partial");
    expect(schema.properties.partial).toMatchObject({ type: "boolean", const: true });
    expect(schema.properties.partial.description).toMatch(/206/);
  });

  it("400, 401 and 404 are documented error bodies, each with an example", () => {
    for (const status of ["400", "401", "404"]) {
      const response = importOp().responses[status];
      expect(response?.description, status).toBeTruthy();
      const content = response.content["application/json"];
      const schema = resolve(served, content.schema);
      expect(schema.required, status).toEqual(["message", "code"]);
      expect(content.example, `${status} example`).toMatchObject({ message: expect.any(String), code: expect.any(String) });
      expect(conforms(served, content.schema, content.example), `${status} example`).toEqual([]);
    }
  });
});

describe("what the API answers matches the document", () => {
  it("success and error bodies of real requests conform to their documented schemas", async () => {
    const list = await api(rest, user.apiKey, "POST", "/lists", {
      name: "Doc check",
      rows: [{ linkedin_url: "https://www.linkedin.com/in/doc-check", profile_data: { firstName: "Doc" } }, { linkedin_url: "imported-1" }],
    });
    const campaign = await api(rest, user.apiKey, "POST", "/campaigns", { name: "Doc check", channel: "linkedin" });
    const imported = await api(rest, user.apiKey, "POST", `/campaigns/${campaign.body.id}/leads/import-from-list`, { listId: list.body.id });
    const again = await api(rest, user.apiKey, "POST", `/campaigns/${campaign.body.id}/leads/import-from-list`, { listId: list.body.id });
    const cases: Array<[string, string, { status: number; body: unknown }]> = [
      ["/lists", "post", list],
      ["/campaigns", "post", campaign],
      [IMPORT_PATH, "post", imported],
      [IMPORT_PATH, "post", again],
      [IMPORT_PATH, "post", await api(rest, user.apiKey, "POST", `/campaigns/${campaign.body.id}/leads/import-from-list`, { listId: "nope" })],
      [IMPORT_PATH, "post", await api(rest, null, "POST", `/campaigns/${campaign.body.id}/leads/import-from-list`, { listId: list.body.id })],
      [IMPORT_PATH, "post", await api(rest, user.apiKey, "POST", `/campaigns/${campaign.body.id}/leads/import-from-list`, { listId: crypto.randomUUID() })],
      ["/campaigns/{campaignId}", "get", await api(rest, user.apiKey, "GET", `/campaigns/${campaign.body.id}`)],
      ["/campaigns/{campaignId}/leads", "get", await api(rest, user.apiKey, "GET", `/campaigns/${campaign.body.id}/leads`)],
      ["/lists/{listId}/rows", "get", await api(rest, user.apiKey, "GET", `/lists/${list.body.id}/rows?limit=1`)],
      ["/campaigns/{campaignId}/leads", "post", await api(rest, user.apiKey, "POST", `/campaigns/${campaign.body.id}/leads`, { prospects: [] })],
    ];
    expect(cases.map(([, , res]) => res.status)).toEqual([200, 200, 200, 422, 400, 401, 404, 200, 200, 200, 400]);
    for (const [path, method, res] of cases) {
      const response = served.paths[path][method].responses[String(res.status)];
      expect(response, `${method} ${path} ${res.status} is documented`).toBeDefined();
      const schema = response.content["application/json"].schema;
      expect(conforms(served, schema, res.body), `${method} ${path} ${res.status}`).toEqual([]);
    }
  });
});
