// textArray's binary text[] parameter, read back by PostgreSQL, is exactly the values it was given.
import { afterAll, describe, expect, it } from "vitest";
import { closeTestDb, testDb } from "../helpers/context";
import { textArray } from "@/server/pg-text-array";

afterAll(closeTestDb);

async function roundTrip(values: (string | null)[]): Promise<(string | null)[]> {
  const { rows } = await testDb().pool.query<{ v: (string | null)[] }>("SELECT $1::text[] AS v", [textArray(values, (v) => v)]);
  return rows[0]!.v;
}

let seed = 11;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pieces = ['"', "\\", "\\\\", "\\n", ",", "{", "}", " ", "NULL", "null", "a", "é", "王", "🙂", "\n", "\t", "\r", "\u0001", "\u001f", "\u2028", "'"];
const randomValue = () => (random() < 0.1 ? null : Array.from({ length: Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join(""));

describe("textArray: a binary text[] parameter PostgreSQL reads back exactly", () => {
  it.each([
    ["plain values and NULLs", ["a", null, "b c", "", "null", "NULL", " NULL "]],
    ["quotes, backslashes, commas, braces", ['say "hi"', "C:\\temp\\", "\\", '\\"', "a,b", "{x}", "}{"]],
    ["unicode", ["Zoë", "王小明", "🙂🚀", "\u2028\u2029", "ﬁ"]],
    ["control characters", ["line\nbreak", "tab\there", "\r\n", "\u0001\u001f", "a\\nb"]],
    ["empty", []],
    ["only NULLs", [null, null]],
    ["one empty string", [""]],
    ["long values (several times 64 kB, multi-byte)", ["x".repeat(200_000), "é".repeat(70_000), "🙂".repeat(40_000)]],
  ])("%s", async (_name, values) => {
    expect(await roundTrip(values)).toEqual(values);
  });

  it("a lone surrogate arrives as U+FFFD, as in any text node-postgres sends", async () => {
    expect(await roundTrip(["a\ud800b", "\udc00"])).toEqual(["a\ufffdb", "\ufffd"]);
  });

  it("300 random columns of 50 values", async () => {
    for (let column = 0; column < 300; column++) {
      const values = Array.from({ length: 50 }, randomValue);
      expect(await roundTrip(values)).toEqual(values);
    }
  });
});
