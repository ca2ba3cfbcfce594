import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isNextApiRoute } from "@/server/http/direct-rest";

// The production server sends API-key calls under /api to the REST handler unless the path is one
// of Next.js's own routes there. A route added to src/app/api must be in that list, or its
// API-key calls would get the REST API's 404.
describe("the direct REST path leaves Next.js's own /api routes to Next.js", () => {
  const routes = readdirSync(path.resolve(import.meta.dirname, "../../src/app/api")).filter((name) => name !== "[...openapi]");

  it.each(routes)("/api/%s", (name) => {
    expect(isNextApiRoute(`/api/${name}`)).toBe(true);
    expect(isNextApiRoute(`/api/${name}/anything?x=1`)).toBe(true);
  });

  it("and takes the REST API's paths", () => {
    for (const url of ["/api/campaigns", "/api/campaigns/x/leads", "/api/lists?page=2", "/api/imports/x/skipped.csv", "/api/authors", "/api/healthy"]) {
      expect(isNextApiRoute(url), url).toBe(false);
    }
  });
});
