// The database built by db/migrations (global setup migrates the empty test database with
// dbmate) must match prisma/schema.prisma: tables, columns, types, nullability, defaults,
// primary keys, unique constraints, indexes, foreign keys, enums and their values.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureDatabase, migrate } from "../../scripts/lib/database";
import { closeTestDb, testDb } from "../helpers/context";
import { compareShapes, readDmmf, shapeFromDatabase, shapeFromDmmf, type Dmmf, type Shape } from "../helpers/foundation-schema";

const ROOT = path.resolve(import.meta.dirname, "../..");
const schemaText = readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8");

let dmmf: Dmmf;
let fromPrisma: Shape;
let fromDatabase: Shape;

beforeAll(async () => {
  dmmf = readDmmf(schemaText);
  fromPrisma = shapeFromDmmf(dmmf);
  fromDatabase = await shapeFromDatabase(testDb().pool);
});
afterAll(closeTestDb);

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const model = (d: Dmmf, name: string) => d.datamodel.models.find((m) => m.name === name)!;
const field = (d: Dmmf, modelName: string, fieldName: string) => model(d, modelName).fields.find((f) => f.name === fieldName)!;

describe("db/migrations match prisma/schema.prisma", () => {
  it("has no differences", () => {
    expect(compareShapes(fromPrisma, fromDatabase)).toEqual([]);
  });

  it("reads both sides fully (the comparison is not over empty shapes)", () => {
    const tables = ["api_keys", "campaigns", "import_runs", "list_rows", "lists", "prospects", "rate_limits", "users"];
    expect(Object.keys(fromPrisma.tables).sort()).toEqual(expect.arrayContaining(tables));
    expect(Object.keys(fromDatabase.tables).sort()).toEqual(Object.keys(fromPrisma.tables).sort());
    expect(Object.keys(fromDatabase.enums).sort()).toEqual(expect.arrayContaining(["campaign_channel", "campaign_status", "import_run_status"]));
    // Spot checks of the mapping on both sides.
    expect(fromDatabase.tables.list_rows!.columns).toMatchObject({
      id: { type: "int8", nullable: false, hasDefault: true },
      list_id: { type: "uuid", nullable: false },
      linkedin_url: { type: "text", nullable: true },
      profile_data: { type: "jsonb", nullable: true },
    });
    expect(fromPrisma.tables.list_rows!.columns).toEqual(fromDatabase.tables.list_rows!.columns);
    expect(fromPrisma.tables.campaigns!.columns.channel).toEqual({ type: "campaign_channel", nullable: false, hasDefault: false });
    expect(fromPrisma.tables.campaigns!.columns.created_at!.type).toBe("timestamptz");
    expect(fromPrisma.tables.lists!.columns.row_count!.type).toBe("int4");
    expect(fromDatabase.tables.prospects!.uniques).toContain("campaign_id,dedupe_key");
    expect(fromDatabase.tables.users!.uniques).toEqual(["email"]);
    expect(fromDatabase.tables.prospects!.primaryKey).toEqual(["id"]);
    expect(fromDatabase.tables.prospects!.foreignKeys).toEqual(["campaign_id -> campaigns(id) on delete CASCADE"]);
    expect(fromDatabase.enums.campaign_status).toEqual(["draft", "active", "paused", "completed"]);
  });

  it("keeps the names other tools query directly", () => {
    expect(Object.keys(fromDatabase.tables.list_rows!.columns)).toEqual(expect.arrayContaining(["id", "list_id", "linkedin_url", "profile_data"]));
    expect(Object.keys(fromDatabase.tables.prospects!.columns)).toEqual(
      expect.arrayContaining([
        "campaign_id",
        "email",
        "linkedin_url",
        "first_name",
        "last_name",
        "name",
        "company",
        "position",
        "headline",
        "custom_fields",
        "source",
        "source_ref",
        "created_at",
        "updated_at",
      ]),
    );
  });
});

describe("the comparison detects drift (it can't pass vacuously)", () => {
  const drifted = (change: (d: Dmmf) => void) => {
    const copy = clone(dmmf);
    change(copy);
    return compareShapes(shapeFromDmmf(copy), fromDatabase);
  };

  it("a field made optional", () => {
    expect(drifted((d) => (field(d, "Prospect", "dedupeKey").isRequired = false))).toEqual([
      "prospects.dedupe_key: optional in schema.prisma, NOT NULL in the database",
    ]);
  });

  it("a field made required", () => {
    expect(drifted((d) => (field(d, "ListRow", "linkedinUrl").isRequired = true))).toEqual([
      "list_rows.linkedin_url: required in schema.prisma, NULL in the database",
    ]);
  });

  it("a changed type, and a lost @db.Uuid", () => {
    expect(drifted((d) => (field(d, "List", "rowCount").type = "BigInt"))).toEqual(["lists.row_count: type int8 in schema.prisma, int4 in the database"]);
    expect(drifted((d) => (field(d, "Campaign", "userId").nativeType = null))).toEqual(["campaigns.user_id: type text in schema.prisma, uuid in the database"]);
    expect(drifted((d) => (field(d, "User", "createdAt").nativeType = null))).toEqual([
      "users.created_at: type timestamp in schema.prisma, timestamptz in the database",
    ]);
  });

  it("a renamed column, a missing column and an extra column", () => {
    expect(drifted((d) => (field(d, "Prospect", "sourceRef").dbName = "source_reference"))).toEqual([
      "prospects.source_ref: column in the database but not in schema.prisma",
      "prospects.source_reference: column in schema.prisma but not in the database",
    ]);
    expect(drifted((d) => (model(d, "User").fields = model(d, "User").fields.filter((f) => f.name !== "name")))).toEqual([
      "users.name: column in the database but not in schema.prisma",
    ]);
  });

  it("a lost or an extra unique constraint", () => {
    expect(drifted((d) => (model(d, "Prospect").uniqueIndexes = []))).toEqual([
      "prospects: unique (campaign_id,dedupe_key) in the database but not in schema.prisma",
    ]);
    expect(drifted((d) => (field(d, "ApiKey", "prefix").isUnique = true))).toEqual(["api_keys: unique (prefix) in schema.prisma but not in the database"]);
  });

  it("a different primary key", () => {
    expect(
      drifted((d) => {
        field(d, "ListRow", "id").isId = false;
        model(d, "ListRow").primaryKey = { fields: ["listId", "id"] };
      }),
    ).toEqual(["list_rows: primary key (list_id,id) in schema.prisma, (id) in the database"]);
  });

  it("an enum value added, and an enum renamed", () => {
    expect(drifted((d) => d.datamodel.enums.find((e) => e.name === "CampaignStatus")!.values.push({ name: "archived", dbName: null }))).toEqual([
      "enum campaign_status: values (draft,active,paused,completed,archived) in schema.prisma, (draft,active,paused,completed) in the database",
    ]);
    const renamed = drifted((d) => (d.datamodel.enums.find((e) => e.name === "CampaignChannel")!.dbName = "channel"));
    expect(renamed).toContain("campaigns.channel: type channel in schema.prisma, campaign_channel in the database");
    expect(renamed).toContain("enum campaign_channel: in the database but not in schema.prisma");
  });

  it("a table missing from either side", () => {
    expect(drifted((d) => (d.datamodel.models = d.datamodel.models.filter((m) => m.name !== "ImportRun").map((m) => ({ ...m, fields: m.fields.filter((f) => f.type !== "ImportRun") }))))).toEqual([
      // import_row_errors' relation to the run goes with the model.
      "import_row_errors: foreign key run_id -> import_runs(id) on delete CASCADE in the database but not in schema.prisma",
      "table import_runs: in the database but not in schema.prisma",
    ]);
    expect(drifted((d) => (model(d, "List").dbName = "saved_lists"))).toEqual(
      expect.arrayContaining(["table lists: in the database but not in schema.prisma", "table saved_lists: in schema.prisma but not in the database"]),
    );
  });

  it("a changed referential action and a missing index", () => {
    expect(drifted((d) => (field(d, "Prospect", "campaign").relationOnDelete = "Restrict"))).toEqual([
      "prospects: foreign key campaign_id -> campaigns(id) on delete RESTRICT in schema.prisma but not in the database",
      "prospects: foreign key campaign_id -> campaigns(id) on delete CASCADE in the database but not in schema.prisma",
    ]);
    expect(drifted((d) => d.datamodel.indexes.push({ model: "Prospect", type: "normal", fields: [{ name: "email" }] }))).toEqual([
      "prospects: index (email) in schema.prisma but not in the database",
    ]);
  });

  it("a difference on the database side (in a database of its own, migrated from empty and thrown away)", async () => {
    // Its own database, so no DDL ever touches the tables other test files are using.
    const url = new URL(inject("databaseUrl"));
    url.pathname = `${url.pathname}_drift_probe`;
    const name = url.pathname.slice(1);
    await ensureDatabase(url.toString());
    const admin = new URL(url);
    admin.pathname = "/postgres";
    try {
      await migrate(url.toString(), { quiet: true });
      const probe = new pg.Client({ connectionString: url.toString() });
      await probe.connect();
      try {
        expect(compareShapes(fromPrisma, await shapeFromDatabase(probe))).toEqual([]);
        await probe.query("ALTER TABLE campaigns ALTER COLUMN name DROP NOT NULL");
        await probe.query("ALTER TABLE users ADD COLUMN nickname text");
        await probe.query("ALTER TABLE prospects DROP CONSTRAINT prospects_campaign_id_dedupe_key_key");
        await probe.query("ALTER TYPE campaign_status ADD VALUE 'archived'");
        await probe.query("ALTER TABLE list_rows ALTER COLUMN profile_data TYPE json");
        expect(compareShapes(fromPrisma, await shapeFromDatabase(probe))).toEqual([
          "campaigns.name: required in schema.prisma, NULL in the database",
          "list_rows.profile_data: type jsonb in schema.prisma, json in the database",
          "prospects: unique (campaign_id,dedupe_key) in schema.prisma but not in the database",
          "users.nickname: column in the database but not in schema.prisma",
          "enum campaign_status: values (draft,active,paused,completed) in schema.prisma, (draft,active,paused,completed,archived) in the database",
        ]);
      } finally {
        await probe.end();
      }
    } finally {
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      await client.end();
    }
  });
});

describe("the migrations", () => {
  it("every file has an up and a down section", () => {
    const dir = path.join(ROOT, "db/migrations");
    const files = readdirSync(dir).filter((f) => f.endsWith(".sql"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(text, file).toMatch(/^-- migrate:up\b/m);
      expect(text, file).toMatch(/^-- migrate:down\b/m);
      expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.sql$/);
    }
  });

  it("all of them were applied to the test database", async () => {
    const files = readdirSync(path.join(ROOT, "db/migrations")).filter((f) => f.endsWith(".sql"));
    const { rows } = await testDb().pool.query<{ version: string }>("SELECT version FROM schema_migrations ORDER BY version");
    expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.slice(0, 14)).sort());
  });
});
