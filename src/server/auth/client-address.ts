import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { isIPv4, isIPv6 } from "node:net";

// Who is on the other end of a request, for limits per client address (failed sign-ins).
//
// Next.js route handlers never see the TCP socket, and `next start` passes on any
// X-Forwarded-For a client sends (it fills the header in only when it is absent), so neither
// tells the real peer. The server process therefore writes the peer's address into a header of
// its own on every request, before Next.js reads it, replacing any value a client sent under that
// name. X-Forwarded-For is read only as far as TRUST_PROXY says proxies of ours wrote it.

/** The header carrying the TCP peer's address (set by recordPeerAddresses, never by a client). */
export const PEER_ADDRESS_HEADER = "x-outreach-peer-address";

let recording = false;

/**
 * Makes every HTTP request this process serves carry its TCP peer's address in
 * PEER_ADDRESS_HEADER. Node publishes each request on this channel before the server's
 * 'request' event, so the header is in place before Next.js copies the headers. Called once at
 * server start (src/instrumentation.ts).
 */
export function recordPeerAddresses() {
  if (recording) return;
  recording = true;
  subscribe("http.server.request.start", (message) => {
    const { request } = message as { request: IncomingMessage };
    request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
  });
}

type HeaderBag = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(",") : value) ?? "";

/**
 * The client's address for limits. With trustedProxies = 0 it is the TCP peer's; with N it is the
 * address the N-th proxy from us saw, i.e. the N-th entry of X-Forwarded-For from the right (each
 * proxy appends the address it received the request from; entries further left are whatever the
 * client wrote). "unknown" when the peer was not recorded (a request served before the recorder
 * started): all such requests then share one limit rather than escape it.
 */
export function clientAddress(headers: HeaderBag, trustedProxies: number): string {
  const peer = first(headers[PEER_ADDRESS_HEADER]).trim();
  const forwarded = first(headers["x-forwarded-for"])
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = trustedProxies > 0 ? [...forwarded, peer] : [peer];
  const chosen = chain[Math.max(0, chain.length - 1 - trustedProxies)] ?? "";
  return chosen ? limitKeyOf(chosen) : "unknown";
}

/**
 * The form of an address a limit counts by: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64
 * network, since one subscriber usually holds a whole /64 and could otherwise walk through it.
 * Anything else (a garbage header entry) is kept, cut to 64 characters.
 */
export function limitKeyOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(address)) return address;
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIPv6(bare)) return `${expandIPv6(bare).slice(0, 4).join(":")}::/64`;
  return address.slice(0, 64);
}

/** The eight 16-bit groups of an IPv6 address, "::" expanded, leading zeros dropped. */
function expandIPv6(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const groups = (part: string) => (part ? part.split(":") : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((group) => (parseInt(group, 16) || 0).toString(16));
}
