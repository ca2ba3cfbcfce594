import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { parseJsonBytes, parseJsonChunks } from "@/server/api/json-body";

// parseJsonBytes must be JSON.parse: the same value (key order, "__proto__" as an own key,
// repeated keys) for every valid document, and a SyntaxError for every invalid one. Random
// documents with a fixed seed (a failure repeats), split at tiny sizes so that every path runs.

let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const space = () => pick(["", "", "", " ", "\n", "\t ", "\r\n  "]);
const strings = ["", "a", "é", "王", "🙂", 'quote " inside', "back\\slash", "\\", "\\\\", "\u0000", "new\nline", "}", "]", ",", ":", "{[", "__proto__"];

function randomText(depth: number): string {
  const r = random();
  if (depth > 4 || r < 0.35) {
    return pick([
      () => JSON.stringify(pick(strings)),
      () => String(Math.floor(random() * 2000) - 1000),
      () => pick(["1.5e3", "-0", "0.25", "1E-2", "true", "false", "null"]),
    ])();
  }
  const n = Math.floor(random() * 6);
  if (r < 0.7) return `[${space()}${Array.from({ length: n }, () => randomText(depth + 1)).join(`${space()},${space()}`)}${space()}]`;
  const keys = ["a", "b", "__proto__", "constructor", "1", "10", "é", "a"]; // repeats on purpose
  return `{${space()}${Array.from({ length: n }, () => `${JSON.stringify(pick(keys))}${space()}:${space()}${randomText(depth + 1)}`).join(`${space()},${space()}`)}${space()}}`;
}

function outcome(parse: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: parse() };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
}

function expectSameAsJsonParse(text: string, smallBytes: number) {
  const bytes = new TextEncoder().encode(text);
  // The reference is the body decoded whole, then JSON.parse (a lone surrogate cut out of an emoji became U+FFFD).
  const expected = outcome(() => JSON.parse(new TextDecoder().decode(bytes)));
  const actual = outcome(() => parseJsonBytes(bytes, smallBytes));
  if ("error" in expected) {
    expect(actual, text).toEqual({ error: "SyntaxError" });
    return;
  }
  expect("value" in actual, text).toBe(true);
  const value = (actual as { value: unknown }).value;
  expect(isDeepStrictEqual(value, expected.value), text).toBe(true);
  expect(JSON.stringify(value), text).toBe(JSON.stringify(expected.value)); // key order too
}

describe("parseJsonBytes is JSON.parse without one large string", () => {
  const documents = Array.from({ length: 3000 }, () => `${space()}${randomText(0)}${space()}`);

  it("gives JSON.parse's value for 3000 random documents, split at 1, 8 and 64 bytes", () => {
    for (const text of documents) for (const small of [1, 8, 64]) expectSameAsJsonParse(text, small);
  });

  it("throws a SyntaxError wherever JSON.parse does: 3000 documents with one byte changed", () => {
    const damage = [",", ":", "[", "]", "{", "}", '"', "\\", " ", "x", ""];
    for (const text of documents) {
      const at = Math.floor(random() * (text.length + 1));
      const broken = text.slice(0, at) + pick(damage) + text.slice(at + (random() < 0.5 ? 1 : 0));
      for (const small of [1, 8]) expectSameAsJsonParse(broken, small);
    }
  });

  it.each([
    ["[1,,2]"], ["[1,2,]"], ['{"a":1,}'], ['{"a" 1}'], ['{"a":}'], ["[1 2]"], ['{"a":1}}'], ["[[1]]]"], ["[1],2]"], ['{"a":[1}'],
    ["[\"unterminated]"], ['{"a":1,"b"}'], ["[]"], ["{}"], [" [ ] "], ['{"__proto__":{"x":1}}'], ['{"a":1,"a":2}'],
  ])("%s: as JSON.parse, at every split size", (text) => {
    for (const small of [0, 1, 2, 4, 8]) expectSameAsJsonParse(text, small);
  });

  it("catches every wrong guess of where a run of elements ends: strings and nested containers that look like boundaries", () => {
    // "},{" and "],[" inside strings, and objects inside nested arrays: the boundary guesses land there too.
    const element = (i: number) => ({ a: `x${i}},{"y`, b: [{ c: i }, { d: [i, { e: "],[" }] }], f: { g: {} }, h: "}, [" });
    const elements = Array.from({ length: 300 }, (_, i) => element(i));
    for (const text of [JSON.stringify(elements), JSON.stringify({ prospects: elements, n: 1 }), JSON.stringify(elements, null, 1)]) {
      for (const small of [16, 32, 48, 64, 100, 256, 1000]) expectSameAsJsonParse(text, small);
    }
  });

  it("reads a body that arrived in several chunks, a character split between two of them", () => {
    const text = JSON.stringify({ prospects: Array.from({ length: 2000 }, (_, i) => ({ first_name: `Zoë ${i}`, headline: "王🙂".repeat(i % 9) })) });
    const bytes = new TextEncoder().encode(text);
    const cut = bytes.indexOf(0xc3) + 1; // inside the first "ë"
    const chunks = [bytes.subarray(0, cut), bytes.subarray(cut, 70_000), bytes.subarray(70_000)];
    expect(parseJsonChunks(chunks, bytes.length)).toEqual(JSON.parse(text));
    expect(parseJsonChunks(chunks, bytes.length)).toEqual(JSON.parse(text)); // the reused buffer, again
  });
});
