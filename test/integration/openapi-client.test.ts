// A client generated from /api/openapi.json, as an API user would build one: openapi-typescript
// writes the types, openapi-fetch sends the requests, tsc --strict checks a typed call of every
// operation, and then those same calls run against the API. Every operation in the document is
// covered, including ones added later: its success call, and its documented error statuses.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, closeTestDb, makeUser, startRestServer, testDb, testLimits, type RestServer, type TestUser } from "../helpers/context";
import { apiFixture, conforms, exampleRequest, operationsOf, resolve, type Json } from "../helpers/openapi-doc";

const ROOT = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

type Operation = { path: string; method: string; op: Json };
type Result = { data?: unknown; error?: unknown; response: Response };
type Call = (client: unknown, params: Json, body?: unknown) => Promise<Result>;
type Generated = { makeClient: (baseUrl: string, headers: Record<string, string>) => unknown; calls: Record<string, Call> };

let server: RestServer;
let limited: RestServer;
let served: Json;
let ops: Operation[];
let dir: string;
let generated: Generated;
let user: TestUser;

/** The TypeScript module with one typed openapi-fetch call per operation of the document. */
function clientSource(operations: Operation[]): string {
  const lines = [
    `import createClient from "openapi-fetch";`,
    `import type { paths } from "./schema";`,
    ``,
    `export const makeClient = (baseUrl: string, headers: Record<string, string>) => createClient<paths>({ baseUrl, headers });`,
    `type Client = ReturnType<typeof makeClient>;`,
    ``,
    `export const calls = {`,
  ];
  for (const { path: p, method, op } of operations) {
    const at = `paths[${JSON.stringify(p)}][${JSON.stringify(method)}]`;
    const params = `params: ${at}["parameters"]`;
    const call = `client.${method.toUpperCase()}(${JSON.stringify(p)}`;
    if (!op.requestBody) {
      lines.push(`  ${JSON.stringify(op.operationId)}: (client: Client, ${params}) => ${call}, { params }),`);
    } else {
      const body = `NonNullable<${at}["requestBody"]>["content"]["application/json"]`;
      const optional = op.requestBody.required ? "" : "?";
      lines.push(`  ${JSON.stringify(op.operationId)}: (client: Client, ${params}, body${optional}: ${body}) => ${call}, { params, body }),`);
    }
  }
  lines.push(`};`, ``);
  return lines.join("\n");
}

beforeAll(async () => {
  server = await startRestServer();
  // Writes and imports limited to one at a time: the second call in a row is a 429.
  limited = await startRestServer(testDb(), testLimits(1));
  user = await makeUser();
  const res = await fetch(`${server.baseUrl}/openapi.json`);
  expect(res.status).toBe(200);
  served = (await res.json()) as Json;
  ops = operationsOf(served);

  await mkdir(path.join(ROOT, "test-results"), { recursive: true });
  dir = await mkdtemp(path.join(ROOT, "test-results", "openapi-client-"));
  // openapi-typescript reads the document over HTTP, as from a deployed app.
  await run(process.execPath, [path.join(ROOT, "node_modules/openapi-typescript/bin/cli.js"), `${server.baseUrl}/openapi.json`, "-o", path.join(dir, "schema.ts")], {
    cwd: ROOT,
  });
  await writeFile(path.join(dir, "client.ts"), clientSource(ops));
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await server.close();
  await limited.close();
  await closeTestDb();
});

describe("the generated client", () => {
  it("compiles under tsc --strict: the generated types and a typed call of every operation", async () => {
    // schema.ts, not .d.ts: --skipLibCheck (for node_modules) would skip a generated .d.ts too.
    const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
    const args = ["--strict", "--noEmit", "--skipLibCheck", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", "--lib", "es2022,dom"];
    const result = await run(process.execPath, [tsc, ...args, path.join(dir, "client.ts")], { cwd: ROOT }).catch((error: { stdout: string }) => error);
    expect("stdout" in result ? result.stdout : "").toBe("");
  }, 120_000);

  it("calls every operation successfully, and gets each documented error status with its documented body", async () => {
    generated = (await import(path.join(dir, "client.ts"))) as Generated;
    expect(Object.keys(generated.calls).sort()).toEqual(ops.map(({ op }) => op.operationId as string).sort());
    const signedIn = generated.makeClient(server.baseUrl, { authorization: `Bearer ${user.apiKey}` });
    const anonymous = generated.makeClient(server.baseUrl, {});

    const seen: string[] = [];
    for (const operation of ops) {
      const { op } = operation;
      const name = `${operation.method.toUpperCase()} ${operation.path}`;
      const call = generated.calls[op.operationId as string]!;
      const ids = await apiFixture(server, user);
      const { params, body } = exampleRequest(served, op, ids);
      const check = async (label: string, result: Result, expected: number | "2xx") => {
        const got = result.response.status;
        const ok = expected === "2xx" ? got >= 200 && got < 300 : got === expected;
        expect(ok, `${name} ${label}: expected ${expected}, got ${got} ${JSON.stringify(result.error ?? result.data)}`).toBe(true);
        expectDocumented(operation, got, got < 300 ? result.data : result.error, result.response);
        seen.push(`${name} ${got}`);
      };

      await check("success", await call(signedIn, params, body), "2xx");
      await check("without a key", await call(anonymous, params, body), 401);
      const pathParams = (op.parameters ?? []).filter((p: Json) => p.in === "path");
      if (pathParams.length > 0) {
        const unknown = { ...params, path: Object.fromEntries(pathParams.map((p: Json) => [p.name, randomUUID()])) };
        await check("with an unknown id", await call(signedIn, unknown, body), 404);
        const notUuid = { ...params, path: { ...params.path, [pathParams[0].name]: "not-a-uuid" } };
        await check("with an id that is not a UUID", await call(signedIn, notUuid, body), 400);
      }
      if (op.requestBody?.required && (resolve(served, op.requestBody.content["application/json"].schema).required ?? []).length > 0) {
        await check("with an empty body", await call(signedIn, params, {}), 400);
      }
      if (operation.method !== "get") {
        const limitedClient = generated.makeClient(limited.baseUrl, { authorization: `Bearer ${user.apiKey}` });
        await call(limitedClient, params, body);
        const again = await call(limitedClient, params, body);
        await check("twice in a row under a limit of one", again, 429);
        expect(Number(again.response.headers.get("retry-after")), `${name} 429 Retry-After`).toBeGreaterThanOrEqual(1);
      }
    }
    // Every operation was called at least for its success and its 401.
    for (const { path: p, method } of ops) expect(seen.filter((s) => s.startsWith(`${method.toUpperCase()} ${p} `)).length, `${method} ${p}`).toBeGreaterThanOrEqual(2);
  }, 240_000);

  it("launches a campaign without a body, as the document allows and openapi-fetch sends it", async () => {
    const launch = generated.calls["campaign-launch"]!;
    const client = generated.makeClient(server.baseUrl, { authorization: `Bearer ${user.apiKey}` });
    for (const body of [undefined, {}]) {
      const { campaignId } = await apiFixture(server, user);
      const result = await launch(client, { path: { campaignId } }, body);
      expect(result.response.status, JSON.stringify(result.error)).toBe(200);
      expect(result.data).toMatchObject({ id: campaignId, status: "active" });
    }
  });
});

describe("an action without input over plain HTTP", () => {
  it("accepts no body, an empty body with or without a JSON content type, and {}; a form body stays a 415", async () => {
    const send = async (headers: Record<string, string>, body?: string) => {
      const { campaignId } = await apiFixture(server, user);
      const res = await fetch(`${server.baseUrl}/campaigns/${campaignId}/launch`, { method: "POST", headers: { authorization: `Bearer ${user.apiKey}`, ...headers }, body });
      return { status: res.status, body: (await res.json()) as Json, campaignId };
    };
    for (const [headers, body] of [[{}, undefined], [{}, ""], [{ "content-type": "application/json" }, ""], [{ "content-type": "application/json" }, "{}"]] as const) {
      const res = await send(headers, body);
      expect(res.status, `${JSON.stringify(headers)} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.status).toBe("active");
    }
    const form = await send({ "content-type": "application/x-www-form-urlencoded" }, "a=1");
    expect(form.status).toBe(415);
    const campaign = await api(server, user.apiKey, "GET", `/campaigns/${form.campaignId}`);
    expect(campaign.body.status).toBe("draft");
  });

  it("an operation that needs input answers a bodyless POST with a 400 naming the missing field, not a 415", async () => {
    const res = await fetch(`${server.baseUrl}/campaigns`, { method: "POST", headers: { authorization: `Bearer ${user.apiKey}` } });
    const body = (await res.json()) as Json;
    expect(res.status).toBe(400);
    expect(body.issues.map((issue: Json) => issue.path[0])).toEqual(expect.arrayContaining(["name", "channel"]));
  });
});

/** The status is documented for the operation, the body matches its schema, and its headers are sent. */
function expectDocumented({ path: p, method, op }: Operation, status: number, body: unknown, response: Response) {
  const where = `${method.toUpperCase()} ${p} ${status}`;
  const documented = op.responses[String(status)];
  expect(documented, `${where} is documented`).toBeDefined();
  const schema = documented.content?.["application/json"]?.schema;
  expect(schema, `${where} has a JSON body schema`).toBeDefined();
  expect(conforms(served, schema, body), `${where}: ${JSON.stringify(body)}`).toEqual([]);
  for (const [header, spec] of Object.entries((documented.headers ?? {}) as Json)) {
    if (spec.required) expect(response.headers.get(header), `${where} sends ${header}`).not.toBeNull();
  }
}
