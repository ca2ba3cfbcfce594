// GET /api/openapi.json: served over HTTP by the same route handler Next uses, validated
// with a maintained OpenAPI validator, and checked against what the API really answers.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { compileErrors, validate } from "@readme/openapi-parser";
import { GET as openApiRoute } from "@/app/api/openapi.json/route";
import { openApiDocument } from "@/server/api/openapi";
import { publicOrigin } from "@/env";
import { api, closeTestDb, makeUser, startRestServer, type RestServer, type TestUser } from "../helpers/context";
import { conforms, operationsOf, resolve, type Json } from "../helpers/openapi-doc";

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
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

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
        `POST ${IMPORT_PATH}/preview`,
        "GET /campaigns/{campaignId}/imports",
        "GET /imports/{runId}/skipped",
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

  it("documents request bodies for every POST (an optional empty object for actions without input)", () => {
    for (const { path, method, op } of operationsOf(served)) {
      if (method !== "post") continue;
      expect(op.requestBody?.content?.["application/json"]?.schema, `POST ${path}`).toBeDefined();
    }
  });
});

describe("what clients build on", () => {
  it("the server URL is absolute: the app's public URL (NEXTAUTH_URL) + /api", async () => {
    expect(served.servers).toEqual([{ url: `${publicOrigin()}/api` }]);
    expect(new URL(served.servers[0].url).protocol).toMatch(/^https?:$/);
    vi.stubEnv("NEXTAUTH_URL", "https://outreach.example.com/");
    try {
      const doc = (await openApiRoute().json()) as Json;
      expect(doc.servers).toEqual([{ url: "https://outreach.example.com/api" }]);
      expect(doc.info.contact.url).toBe("https://outreach.example.com/api/docs");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("no integer in the document allows a negative number (counts, pages, limits)", () => {
    const integers: Array<{ where: string; schema: Json }> = [];
    const walk = (node: unknown, where: string) => {
      if (Array.isArray(node)) node.forEach((child, i) => walk(child, `${where}[${i}]`));
      else if (node && typeof node === "object") {
        const schema = node as Json;
        if (([] as unknown[]).concat(schema.type).includes("integer")) integers.push({ where, schema });
        for (const [key, child] of Object.entries(schema)) walk(child, `${where}.${key}`);
      }
    };
    walk(served, "$");
    expect(integers.length).toBeGreaterThan(10);
    const negative = integers.filter(({ schema }) => !(schema.minimum >= 0)).map(({ where }) => where);
    expect(negative).toEqual([]);
    expect(served.components.schemas.Campaign.properties.stats.properties.prospectCount.minimum).toBe(0);
  });

  it("states each prospect text field's longest length (checked in ProspectInput's refine, not by .max())", () => {
    const properties = served.components.schemas.ProspectInput.properties;
    const lengths = Object.fromEntries(["email", "linkedin_url", "first_name", "last_name", "company", "position", "headline"].map((f) => [f, properties[f].maxLength]));
    expect(lengths).toEqual({ email: 320, linkedin_url: 2048, first_name: 10_000, last_name: 10_000, company: 10_000, position: 10_000, headline: 10_000 });
  });

  it("every 429 and 503 declares its Retry-After header", () => {
    let declared = 0;
    for (const { path, method, op } of operationsOf(served)) {
      for (const status of ["429", "503"]) {
        const response = op.responses[status];
        if (!response) continue;
        expect(response.headers?.["Retry-After"], `${method} ${path} ${status}`).toMatchObject({ required: true, schema: { type: "integer", minimum: 1 } });
        declared++;
      }
    }
    expect(declared).toBeGreaterThan(operationsOf(served).length);
  });

  it("every operation has a description, and every tag it uses is declared with one", () => {
    const declared = new Map((served.tags as Json[]).map((tag) => [tag.name, tag.description]));
    for (const { path, method, op } of operationsOf(served)) {
      expect(op.description, `${method} ${path}`).toBeTruthy();
      for (const tag of op.tags ?? []) expect(declared.get(tag), `${method} ${path} tag ${tag}`).toBeTruthy();
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
