// Both sides of the schema-drift check as one plain shape: what prisma/schema.prisma says
// (read through Prisma's own DMMF) and what a PostgreSQL schema holds (read from the catalogs),
// and the list of differences between them.
import { createRequire } from "node:module";
import type pg from "pg";

const require = createRequire(import.meta.url);

export type Column = { type: string; nullable: boolean; hasDefault: boolean };
export type Table = {
  columns: Record<string, Column>;
  primaryKey: string[];
  /** Each unique constraint or unique index as "col1,col2" (in index order). */
  uniques: string[];
  /** Each non-unique index as "col1,col2". */
  indexes: string[];
  /** Each foreign key as "cols -> table(cols) on delete ACTION". */
  foreignKeys: string[];
};
export type Shape = { tables: Record<string, Table>; enums: Record<string, string[]> };

// ---------- schema.prisma ----------

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  nativeType?: [string, string[]] | null;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  hasDefaultValue: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type DmmfModel = {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
  uniqueIndexes: Array<{ name: string | null; fields: string[] }>;
};
export type Dmmf = {
  datamodel: {
    models: DmmfModel[];
    enums: Array<{ name: string; dbName?: string | null; values: Array<{ name: string; dbName?: string | null }> }>;
    indexes: Array<{ model: string; type: string; fields: Array<{ name: string }> }>;
  };
};

export function readDmmf(schemaText: string): Dmmf {
  const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf: (params: string) => string };
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schemaText]] }))) as Dmmf;
}

// Prisma scalar (and native type) -> PostgreSQL udt_name.
const SCALAR_UDT: Record<string, string> = {
  String: "text",
  Int: "int4",
  BigInt: "int8",
  Boolean: "bool",
  Float: "float8",
  Decimal: "numeric",
  DateTime: "timestamp",
  Json: "jsonb",
  Bytes: "bytea",
};
const NATIVE_UDT: Record<string, string> = {
  Uuid: "uuid",
  Text: "text",
  VarChar: "varchar",
  Char: "bpchar",
  Timestamptz: "timestamptz",
  Timestamp: "timestamp",
  Date: "date",
  Integer: "int4",
  SmallInt: "int2",
  BigInt: "int8",
  JsonB: "jsonb",
  Json: "json",
  DoublePrecision: "float8",
  Real: "float4",
};
// Prisma's referential actions -> pg_constraint.confdeltype.
const ON_DELETE: Record<string, string> = { Cascade: "CASCADE", Restrict: "RESTRICT", NoAction: "NO ACTION", SetNull: "SET NULL", SetDefault: "SET DEFAULT" };

export function shapeFromDmmf(dmmf: Dmmf): Shape {
  const { models, enums, indexes } = dmmf.datamodel;
  const enumDbName = new Map(enums.map((e) => [e.name, e.dbName ?? e.name]));
  const tableOf = new Map(models.map((m) => [m.name, m.dbName ?? m.name]));
  const column = (model: DmmfModel, fieldName: string) => {
    const field = model.fields.find((f) => f.name === fieldName);
    if (!field) throw new Error(`${model.name}.${fieldName} is not a field`);
    return field.dbName ?? field.name;
  };

  const tables: Record<string, Table> = {};
  for (const model of models) {
    const columns: Record<string, Column> = {};
    const uniques: string[] = [];
    const foreignKeys: string[] = [];
    let primaryKey = model.primaryKey?.fields.map((f) => column(model, f)) ?? [];
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (field.relationFromFields?.length) {
          const from = field.relationFromFields.map((f) => column(model, f)).join(",");
          const target = models.find((m) => m.name === field.type)!;
          const to = (field.relationToFields ?? []).map((f) => column(target, f)).join(",");
          const action = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
          foreignKeys.push(`${from} -> ${tableOf.get(field.type)}(${to}) on delete ${ON_DELETE[action] ?? action}`);
        }
        continue;
      }
      const name = field.dbName ?? field.name;
      let type: string;
      if (field.kind === "enum") type = enumDbName.get(field.type) ?? field.type;
      else if (field.nativeType) type = NATIVE_UDT[field.nativeType[0]] ?? `unmapped native type ${field.nativeType[0]}`;
      else type = SCALAR_UDT[field.type] ?? `unmapped type ${field.type}`;
      if (field.isList) type = `_${type}`;
      columns[name] = { type, nullable: !field.isRequired, hasDefault: field.hasDefaultValue };
      if (field.isId) primaryKey = [name];
      if (field.isUnique) uniques.push(name);
    }
    for (const unique of model.uniqueIndexes) uniques.push(unique.fields.map((f) => column(model, f)).join(","));
    const modelIndexes = indexes
      .filter((i) => i.model === model.name && i.type === "normal")
      .map((i) => i.fields.map((f) => column(model, f.name)).join(","));
    tables[tableOf.get(model.name)!] = { columns, primaryKey, uniques: uniques.sort(), indexes: modelIndexes.sort(), foreignKeys: foreignKeys.sort() };
  }
  return {
    tables,
    enums: Object.fromEntries(enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)])),
  };
}

// ---------- the database ----------

/** Tables that belong to tooling, not to the data model. */
const TOOL_TABLES = new Set(["schema_migrations"]);

// Partial indexes, which schema.prisma can't express: each is named there in a comment, and
// left out of the comparison here by its exact definition (so any other drift still shows).
const DATABASE_ONLY_INDEXES = new Set([
  "import_runs: campaign_id,list_id where (status = ANY (ARRAY['queued'::import_run_status, 'running'::import_run_status]))",
]);

export async function shapeFromDatabase(db: Pick<pg.Pool, "query">, schema = "public"): Promise<Shape> {
  const columns = await db.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string; column_default: string | null }>(
    `SELECT c.table_name, c.column_name, c.udt_name, c.is_nullable, c.column_default
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name, c.ordinal_position`,
    [schema],
  );
  // Every index of every table, with its columns in index order; expressions show as null.
  const indexRows = await db.query<{ table_name: string; is_primary: boolean; is_unique: boolean; predicate: string | null; columns: Array<string | null> }>(
    `SELECT t.relname AS table_name, i.indisprimary AS is_primary, i.indisunique AS is_unique,
            pg_get_expr(i.indpred, i.indrelid) AS predicate,
            array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  ORDER BY k.n) AS columns
     FROM pg_index i
     JOIN pg_class t ON t.oid = i.indrelid
     JOIN pg_namespace ns ON ns.oid = t.relnamespace
     WHERE ns.nspname = $1`,
    [schema],
  );
  const foreignKeyRows = await db.query<{ table_name: string; definition: string }>(
    `SELECT t.relname AS table_name,
            array_to_string(array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n), ',')
            || ' -> ' || r.relname || '(' ||
            array_to_string(array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
                                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n), ',')
            || ') on delete ' ||
            CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT' WHEN 'a' THEN 'NO ACTION' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END
            AS definition
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_class r ON r.oid = c.confrelid
     JOIN pg_namespace ns ON ns.oid = t.relnamespace
     WHERE c.contype = 'f' AND ns.nspname = $1`,
    [schema],
  );
  const enumRows = await db.query<{ name: string; values: string[] }>(
    `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace ns ON ns.oid = t.typnamespace
     WHERE ns.nspname = $1 GROUP BY t.typname`,
    [schema],
  );

  const tables: Record<string, Table> = {};
  const table = (name: string) => (tables[name] ??= { columns: {}, primaryKey: [], uniques: [], indexes: [], foreignKeys: [] });
  for (const c of columns.rows) {
    if (TOOL_TABLES.has(c.table_name)) continue;
    table(c.table_name).columns[c.column_name] = { type: c.udt_name, nullable: c.is_nullable === "YES", hasDefault: c.column_default !== null };
  }
  for (const i of indexRows.rows) {
    if (TOOL_TABLES.has(i.table_name)) continue;
    const cols = i.columns.map((c) => c ?? "(expression)");
    const key = cols.join(",") + (i.predicate ? ` where ${i.predicate}` : "");
    if (DATABASE_ONLY_INDEXES.has(`${i.table_name}: ${key}`)) continue;
    if (i.is_primary) table(i.table_name).primaryKey = cols;
    else if (i.is_unique) table(i.table_name).uniques.push(key);
    else table(i.table_name).indexes.push(key);
  }
  for (const fk of foreignKeyRows.rows) if (!TOOL_TABLES.has(fk.table_name)) table(fk.table_name).foreignKeys.push(fk.definition);
  for (const t of Object.values(tables)) {
    t.uniques.sort();
    t.indexes.sort();
    t.foreignKeys.sort();
  }
  return { tables, enums: Object.fromEntries(enumRows.rows.map((e) => [e.name, e.values])) };
}

// ---------- the comparison ----------

/**
 * Every way the database differs from schema.prisma, one line each; empty when they agree.
 * Non-unique indexes are checked one way only: each @@index must exist, but the migrations may
 * add indexes Prisma can't express (partial, expression), which the client never needs to know.
 */
export function compareShapes(prisma: Shape, database: Shape): string[] {
  const problems: string[] = [];
  const names = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();

  for (const name of names(prisma.tables, database.tables)) {
    const want = prisma.tables[name];
    const have = database.tables[name];
    if (!want) {
      problems.push(`table ${name}: in the database but not in schema.prisma`);
      continue;
    }
    if (!have) {
      problems.push(`table ${name}: in schema.prisma but not in the database`);
      continue;
    }
    for (const col of names(want.columns, have.columns)) {
      const w = want.columns[col];
      const h = have.columns[col];
      if (!w) problems.push(`${name}.${col}: column in the database but not in schema.prisma`);
      else if (!h) problems.push(`${name}.${col}: column in schema.prisma but not in the database`);
      else {
        if (w.type !== h.type) problems.push(`${name}.${col}: type ${w.type} in schema.prisma, ${h.type} in the database`);
        if (w.nullable !== h.nullable) problems.push(`${name}.${col}: ${w.nullable ? "optional" : "required"} in schema.prisma, ${h.nullable ? "NULL" : "NOT NULL"} in the database`);
        if (w.hasDefault && !h.hasDefault) problems.push(`${name}.${col}: has a default in schema.prisma but not in the database`);
      }
    }
    if (want.primaryKey.join(",") !== have.primaryKey.join(",")) {
      problems.push(`${name}: primary key (${want.primaryKey}) in schema.prisma, (${have.primaryKey}) in the database`);
    }
    for (const u of want.uniques) if (!have.uniques.includes(u)) problems.push(`${name}: unique (${u}) in schema.prisma but not in the database`);
    for (const u of have.uniques) if (!want.uniques.includes(u)) problems.push(`${name}: unique (${u}) in the database but not in schema.prisma`);
    for (const i of want.indexes) if (!have.indexes.includes(i)) problems.push(`${name}: index (${i}) in schema.prisma but not in the database`);
    for (const f of want.foreignKeys) if (!have.foreignKeys.includes(f)) problems.push(`${name}: foreign key ${f} in schema.prisma but not in the database`);
    for (const f of have.foreignKeys) if (!want.foreignKeys.includes(f)) problems.push(`${name}: foreign key ${f} in the database but not in schema.prisma`);
  }

  for (const name of names(prisma.enums, database.enums)) {
    const want = prisma.enums[name];
    const have = database.enums[name];
    if (!want) problems.push(`enum ${name}: in the database but not in schema.prisma`);
    else if (!have) problems.push(`enum ${name}: in schema.prisma but not in the database`);
    else if (want.join(",") !== have.join(",")) problems.push(`enum ${name}: values (${want}) in schema.prisma, (${have}) in the database`);
  }
  return problems;
}
