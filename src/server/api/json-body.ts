// A JSON request body parsed without ever holding it as one large string.
//
// JSON.parse needs a string, and a 1000-prospect body is 280,000 characters (560 kB as V8 stores
// text with any non-ASCII character in it). A string that large goes to V8's large-object space,
// which maps fresh memory for it each time; on the VMs this runs on, touching that fresh memory
// cost about 3 ms a call, several times the parsing itself (docs/performance.md,
// "addCampaignProspects"). So a large body is split at the byte level: a container bigger than
// SMALL_BYTES is read here in one pass, its keys, commas and colons checked, runs of its small
// values parsed together by JSON.parse (where a run ends is guessed, and the guess checked by
// that parse), and a large value read the same way. The result, and every error, is
// JSON.parse's: malformed input throws a SyntaxError.

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
  const start = skipSpace(bytes, 0, bytes.length);
  let end = bytes.length;
  while (end > start && isSpace(bytes[end - 1]!)) end--;
  const open = bytes[start];
  if (end - start <= smallBytes || (open !== OPEN_OBJECT && open !== OPEN_ARRAY)) return parseWhole(bytes, start, end);
  const { value, close } = parseContainer(bytes, start, end, 0, smallBytes);
  if (close + 1 !== end) throw unexpected(bytes, skipSpace(bytes, close + 1, end));
  return value;
}

const parseWhole = (b: Uint8Array, start: number, end: number): unknown => JSON.parse(decoder.decode(b.subarray(start, end)));

/**
 * The object or array opening at b[open], up to its closing bracket (before limit): its value
 * and where it closes, in one pass over its bytes. Runs of small members or elements are parsed
 * together by JSON.parse; a large one is read the same way if it is a container, else alone.
 */
function parseContainer(b: Uint8Array, open: number, limit: number, depth: number, smallBytes: number): { value: unknown; close: number } {
  const isObject = b[open] === OPEN_OBJECT;
  const closer = isObject ? CLOSE_OBJECT : CLOSE_ARRAY;
  const object: Record<string, unknown> = {};
  const array: unknown[] = [];
  const value = isObject ? object : array;
  // As JSON.parse: an own property even for "__proto__", the last of repeated keys wins.
  const add = (key: string, item: unknown) => Object.defineProperty(object, key, { value: item, writable: true, enumerable: true, configurable: true });
  // Members or elements b[from, to) ("a,b" parsed as "[a,b]" or "{a,b}"). Not a valid list of
  // them: a SyntaxError, or false with nothing added when it was only a guess.
  const addRun = (from: number, to: number, guessed: boolean): boolean => {
    let items: unknown;
    try {
      items = JSON.parse(decoder.decode(bracketed(b, from, to, isObject)));
    } catch (error) {
      if (guessed) return false;
      throw error;
    }
    if (isObject) for (const key of Object.keys(items as object)) add(key, (items as Record<string, unknown>)[key]);
    else for (const item of items as unknown[]) array.push(item);
    return true;
  };
  const closed = (at: number) => {
    if (b[at] !== closer) throw unexpected(b, at);
    return { value, close: at };
  };

  let at = skipSpace(b, open + 1, limit);
  if (b[at] === closer) return { value, close: at };
  for (;;) {
    // The member or element at `at`: small when its separator is within smallBytes.
    const window = Math.min(limit, at + smallBytes + 1);
    const sep = nextSeparator(b, at, window);
    if (sep < window) {
      if (skipSpace(b, at, sep) === sep) throw unexpected(b, sep); // [1,,2], [1,] or {"a":1,}
      if (b[sep] !== COMMA) {
        addRun(at, sep, false);
        return closed(sep);
      }
      // A run of small ones, parsed together: one JSON.parse of "[a,b,c]" costs far less than
      // three. Where it ends is first guessed without walking its bytes (likelyBoundary), between
      // half and all of smallBytes on. JSON.parse checks the guess: text from a member's start to
      // a comma inside a string or a nested container is never a list of members, even with
      // brackets added. A wrong guess costs one parse, then the run is walked.
      const runStart = at;
      const guess = likelyBoundary(b, Math.max(sep, runStart + (smallBytes >> 1)), Math.min(limit, runStart + smallBytes), isObject);
      if (guess >= 0 && addRun(runStart, guess, true)) {
        at = guess + 1;
        continue;
      }
      // Otherwise walked, a member at a time, until the run is full or a large one comes.
      let runEnd = sep;
      at = sep + 1;
      for (;;) {
        const next = nextSeparator(b, at, Math.min(limit, at + smallBytes + 1));
        if (next - runStart > smallBytes || next >= limit) break;
        if (skipSpace(b, at, next) === next) throw unexpected(b, next);
        runEnd = next;
        if (b[next] !== COMMA) break;
        at = next + 1;
      }
      addRun(runStart, runEnd, false);
      if (b[runEnd] !== COMMA) return closed(runEnd);
      continue;
    }
    // A large member or element: a container is read the same way, anything else parsed alone.
    const first = skipSpace(b, at, limit);
    let key = "";
    let valueStart = first;
    if (isObject) {
      if (b[first] !== QUOTE) throw unexpected(b, first);
      const keyEnd = stringEnd(b, first, limit) + 1;
      if (keyEnd === 0) throw new SyntaxError(`Unterminated string in JSON at byte ${first}`);
      const colon = skipSpace(b, keyEnd, limit);
      if (b[colon] !== COLON) throw unexpected(b, colon);
      key = parseWhole(b, first, keyEnd) as string;
      valueStart = skipSpace(b, colon + 1, limit);
    }
    let item: unknown;
    let after: number;
    const c = b[valueStart];
    if ((c === OPEN_OBJECT || c === OPEN_ARRAY) && depth + 1 < MAX_SPLIT_DEPTH) {
      const inner = parseContainer(b, valueStart, limit, depth + 1, smallBytes);
      item = inner.value;
      after = inner.close + 1;
    } else {
      after = nextSeparator(b, valueStart, limit);
      item = parseWhole(b, valueStart, after);
    }
    if (isObject) add(key, item);
    else array.push(item);
    const next = skipSpace(b, after, limit);
    if (next >= limit) throw unexpected(b, next);
    if (b[next] !== COMMA) return closed(next);
    at = next + 1;
  }
}

/**
 * The first comma in b[from, to) that looks like one between two members or elements of this
 * container (spaces around it allowed), or -1: after a closing bracket, and before an opening
 * one in an array (two objects, as in a list of prospects) or a key's quote in an object.
 */
function likelyBoundary(b: Uint8Array, from: number, to: number, isObject: boolean): number {
  for (let at = from; at < to; at++) {
    if (b[at] !== COMMA) continue;
    let before = at - 1;
    while (isSpace(b[before]!)) before--;
    if (b[before] !== CLOSE_OBJECT && b[before] !== CLOSE_ARRAY) continue;
    let after = at + 1;
    while (after < to && isSpace(b[after]!)) after++;
    const c = b[after];
    if (isObject ? c === QUOTE : c === OPEN_OBJECT || c === OPEN_ARRAY) return at;
  }
  return -1;
}

// Where a run's bytes are copied between brackets: decoding "[a,b]" gives JSON.parse one flat
// string, where decoding "a,b" and adding the brackets as strings made a second copy of the run.
let runScratch = new Uint8Array(SMALL_BYTES + 2);

/** b[from, to) between brackets ("[…]", or "{…}" for an object's members), as bytes to decode. */
function bracketed(b: Uint8Array, from: number, to: number, isObject: boolean): Uint8Array {
  const size = to - from + 2;
  if (runScratch.length < size) runScratch = new Uint8Array(Math.max(size, 2 * runScratch.length));
  runScratch[0] = isObject ? OPEN_OBJECT : OPEN_ARRAY;
  runScratch.set(b.subarray(from, to), 1);
  runScratch[size - 1] = isObject ? CLOSE_OBJECT : CLOSE_ARRAY;
  return runScratch.subarray(0, size);
}

/** The index of the first comma or closing bracket at this level from at, or end. */
function nextSeparator(b: Uint8Array, at: number, end: number): number {
  let depth = 0;
  for (; at < end; at++) {
    const c = b[at]!;
    if (c === QUOTE) {
      at = stringEnd(b, at, end);
      if (at < 0) return end; // the string goes on past end
    }
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 0) return at;
      depth--;
    } else if (c === COMMA && depth === 0) return at;
  }
  return end;
}

/**
 * The index of the quote closing the string that opens at start (-1: none before end), a byte at a time (a backslash
 * skips the byte after it). UTF-8 never has a " or \ inside a multi-byte character. Most strings
 * are short: this loop is faster than a native indexOf call per quote.
 */
function stringEnd(b: Uint8Array, start: number, end: number): number {
  for (let at = start + 1; at < end; at++) {
    const d = b[at]!;
    if (d === QUOTE) return at;
    if (d === BACKSLASH) at++;
  }
  return -1;
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
