// A JSON request body parsed without ever holding it as one large string.
//
// JSON.parse needs a string, and a 1000-prospect body is 280,000 characters (560 kB as V8 stores
// text with any non-ASCII character in it). A string that large goes to V8's large-object space,
// which maps fresh memory for it each time; on the VMs this runs on, touching that fresh memory
// cost about 3 ms a call, several times the parsing itself (docs/performance.md,
// "addCampaignProspects"). So a large body is split at the byte level: a container bigger than
// SMALL_BYTES is walked here, its keys, commas and colons checked, and each of its values parsed
// on its own by JSON.parse (or walked the same way when it is itself large). The result, and every
// error, is JSON.parse's: malformed input throws a SyntaxError.

/** Values at most this many bytes go to JSON.parse whole: decoded, they stay in V8's young generation. */
const SMALL_BYTES = 32 * 1024;
/** Below this many nested large containers, the rest is left to JSON.parse: no deep recursion, no rescanning. */
const MAX_SPLIT_DEPTH = 8;
/** Bodies up to this size are copied into one reused buffer; a larger one gets its own. */
const SCRATCH_BYTES = 1024 * 1024;

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d;

// Reused by every call: parsing is synchronous, so no two calls use it at once, and its memory
// stays mapped. Grows once to the largest body seen, up to SCRATCH_BYTES.
let scratch = new Uint8Array(0);
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** JSON.parse of the UTF-8 text of chunks (in order), as if they were one string. */
export function parseJsonChunks(chunks: Uint8Array[], size: number): unknown {
  if (chunks.length === 1) return parseJsonBytes(chunks[0]!);
  let bytes: Uint8Array;
  if (size <= SCRATCH_BYTES) {
    if (scratch.length < size) scratch = new Uint8Array(Math.min(SCRATCH_BYTES, Math.max(size, 2 * scratch.length)));
    bytes = scratch.subarray(0, size);
  } else bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return parseJsonBytes(bytes);
}

/** JSON.parse of the UTF-8 text in bytes. smallBytes: where splitting starts (the tests split tiny documents). */
export function parseJsonBytes(bytes: Uint8Array, smallBytes = SMALL_BYTES): unknown {
  return parseValue(bytes, 0, bytes.length, 0, smallBytes);
}

function parseValue(b: Uint8Array, start: number, end: number, depth: number, smallBytes: number): unknown {
  while (start < end && isSpace(b[start]!)) start++;
  while (end > start && isSpace(b[end - 1]!)) end--;
  const open = b[start];
  if (end - start <= smallBytes || depth >= MAX_SPLIT_DEPTH || (open !== OPEN_OBJECT && open !== OPEN_ARRAY)) {
    return JSON.parse(decoder.decode(b.subarray(start, end)));
  }
  const isObject = open === OPEN_OBJECT;
  const close = end - 1;
  if (b[close] !== (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) throw new SyntaxError(`Unexpected end of JSON input at byte ${end}`);

  const object: Record<string, unknown> = {};
  const array: unknown[] = [];
  // As JSON.parse: an own property even for "__proto__", the last of repeated keys wins.
  const add = (key: string, value: unknown) => Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  // Consecutive small members or elements are parsed together, up to smallBytes at a time: one
  // JSON.parse of "[a,b,c]" (or "{…}") costs far less than three.
  let groupStart = -1;
  let groupEnd = -1;
  const flush = () => {
    if (groupStart < 0) return;
    const text = decoder.decode(b.subarray(groupStart, groupEnd));
    if (isObject) {
      const members = JSON.parse(`{${text}}`) as Record<string, unknown>;
      for (const key of Object.keys(members)) add(key, members[key]);
    } else for (const value of JSON.parse(`[${text}]`) as unknown[]) array.push(value);
    groupStart = -1;
  };

  let at = skipSpace(b, start + 1, close);
  if (at === close) return isObject ? object : array;
  for (;;) {
    const next = nextSeparator(b, at, close);
    const first = skipSpace(b, at, next);
    if (first === next) throw unexpected(b, next); // [1,,2], [1,] or {"a":1,}
    if (next - at > smallBytes) {
      // A large member or element: a container is walked the same way, anything else parsed alone.
      flush();
      if (isObject) {
        if (b[first] !== QUOTE) throw unexpected(b, first);
        const keyEnd = stringEnd(b, first, next) + 1;
        const colon = skipSpace(b, keyEnd, next);
        if (b[colon] !== COLON) throw unexpected(b, colon);
        add(JSON.parse(decoder.decode(b.subarray(first, keyEnd))) as string, parseValue(b, colon + 1, next, depth + 1, smallBytes));
      } else array.push(parseValue(b, at, next, depth + 1, smallBytes));
    } else {
      if (groupStart >= 0 && next - groupStart > smallBytes) flush();
      if (groupStart < 0) groupStart = at;
      groupEnd = next;
    }
    if (next === close) {
      flush();
      return isObject ? object : array;
    }
    if (b[next] !== COMMA) throw unexpected(b, next);
    at = next + 1;
  }
}

/** The index of the first comma or closing bracket at this level from at, or end. */
function nextSeparator(b: Uint8Array, at: number, end: number): number {
  let depth = 0;
  for (; at < end; at++) {
    const c = b[at]!;
    if (c === QUOTE) at = stringEnd(b, at, end);
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 0) return at;
      depth--;
    } else if (c === COMMA && depth === 0) return at;
  }
  return end;
}

/**
 * The index of the quote closing the string that opens at start, a byte at a time (a backslash
 * skips the byte after it). UTF-8 never has a " or \ inside a multi-byte character. Most strings
 * are short: this loop is faster than a native indexOf call per quote.
 */
function stringEnd(b: Uint8Array, start: number, end: number): number {
  for (let at = start + 1; at < end; at++) {
    const d = b[at]!;
    if (d === QUOTE) return at;
    if (d === BACKSLASH) at++;
  }
  throw new SyntaxError(`Unterminated string in JSON at byte ${start}`);
}

function skipSpace(b: Uint8Array, at: number, end: number): number {
  while (at < end && isSpace(b[at]!)) at++;
  return at;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function unexpected(b: Uint8Array, at: number): SyntaxError {
  return new SyntaxError(at < b.length ? `Unexpected character in JSON at byte ${at}` : "Unexpected end of JSON input");
}
