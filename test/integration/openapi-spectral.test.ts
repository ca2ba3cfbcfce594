// Spectral, the maintained OpenAPI linter, run as an outsider would: its CLI with the standard
// `spectral:oas` ruleset (.spectral.yaml) on the document served at /api/openapi.json.
// Zero errors and zero warnings, for every operation the document holds now or later.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRestServer, closeTestDb, type RestServer } from "../helpers/context";
import { operationsOf, type Json } from "../helpers/openapi-doc";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SPECTRAL = path.join(ROOT, "node_modules/@stoplight/spectral-cli/dist/index.js");

type Finding = { code: string; message: string; path: string[]; severity: number; source: string };
const SEVERITY = ["error", "warning", "info", "hint"];

let server: RestServer;
let served: Json;
let dir: string;

beforeAll(async () => {
  server = await startRestServer();
  const res = await fetch(`${server.baseUrl}/openapi.json`);
  expect(res.status).toBe(200);
  served = (await res.json()) as Json;
  await mkdir(path.join(ROOT, "test-results"), { recursive: true });
  dir = await mkdtemp(path.join(ROOT, "test-results", "spectral-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await server.close();
  await closeTestDb();
});

/** Spectral's findings for each document, by file name; one CLI run for all of them. */
async function lint(documents: Record<string, unknown>): Promise<Record<string, string[]>> {
  const files = await Promise.all(
    Object.entries(documents).map(async ([name, doc]) => {
      const file = path.join(dir, `${name}.json`);
      await writeFile(file, JSON.stringify(doc, null, 2));
      return file;
    }),
  );
  const ruleset = path.join(ROOT, ".spectral.yaml");
  // Exit code 1 means "found errors": the JSON report is on stdout either way.
  const { stdout } = await promisify(execFile)(process.execPath, [SPECTRAL, "lint", ...files, "--ruleset", ruleset, "--format", "json", "--quiet"], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; code?: number }) => {
    if (error.code === 1 && error.stdout) return { stdout: error.stdout };
    throw new Error(`spectral failed: ${error.stderr ?? String(error)}`);
  });
  const findings = JSON.parse(stdout.trim() || "[]") as Finding[];
  return Object.fromEntries(
    Object.keys(documents).map((name) => [
      name,
      findings
        .filter((f) => path.basename(f.source) === `${name}.json`)
        .map((f) => `${SEVERITY[f.severity]} ${f.code} at ${f.path.join(".")}: ${f.message}`),
    ]),
  );
}

describe("Spectral spectral:oas", () => {
  it("reports no errors and no warnings on the served document, and does report a broken copy", async () => {
    // The broken copy shows the run is not vacuous: the faults the issue found come back as findings.
    const broken = structuredClone(served);
    const [first] = operationsOf(broken);
    delete first!.op.description;
    first!.op.tags = ["untagged-area"];
    delete broken.info.contact;
    const findings = await lint({ served, broken });

    expect(findings.served).toEqual([]);
    const codes = findings.broken!.map((finding) => finding.split(" ")[1]);
    expect(codes).toEqual(expect.arrayContaining(["operation-description", "operation-tag-defined", "info-contact"]));
  });
});
