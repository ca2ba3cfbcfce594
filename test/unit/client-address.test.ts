// Which address a limit per client counts by, and when X-Forwarded-For is believed.
import { describe, expect, it } from "vitest";
import { clientAddress, limitKeyOf, PEER_ADDRESS_HEADER } from "@/server/auth/client-address";

const peer = (address: string, forwarded?: string) => ({ [PEER_ADDRESS_HEADER]: address, ...(forwarded ? { "x-forwarded-for": forwarded } : {}) });

describe("clientAddress", () => {
  it("TRUST_PROXY=0: the TCP peer, whatever X-Forwarded-For a client writes", () => {
    expect(clientAddress(peer("203.0.113.7"), 0)).toBe("203.0.113.7");
    expect(clientAddress(peer("203.0.113.7", "1.2.3.4"), 0)).toBe("203.0.113.7");
    expect(clientAddress(peer("203.0.113.7", "1.2.3.4, 5.6.7.8"), 0)).toBe("203.0.113.7");
  });

  it("TRUST_PROXY=1: the address our proxy saw (the last entry), not what the client wrote before it", () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; our proxy (10.0.0.2) appended the client's real address.
    expect(clientAddress(peer("10.0.0.2", "1.2.3.4, 198.51.100.20"), 1)).toBe("198.51.100.20");
    expect(clientAddress(peer("10.0.0.2", "198.51.100.20"), 1)).toBe("198.51.100.20");
  });

  it("TRUST_PROXY=2: two proxies, the entry the outer one appended", () => {
    expect(clientAddress(peer("10.0.0.3", "1.2.3.4, 198.51.100.20, 10.0.0.2"), 2)).toBe("198.51.100.20");
  });

  it("fewer entries than trusted proxies: the farthest one known; no header at all: the peer", () => {
    expect(clientAddress(peer("10.0.0.2", "198.51.100.20"), 3)).toBe("198.51.100.20");
    expect(clientAddress(peer("10.0.0.2"), 1)).toBe("10.0.0.2");
  });

  it("a repeated header (an array) is read as one list", () => {
    expect(clientAddress({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": ["1.2.3.4", "198.51.100.20"] }, 1)).toBe("198.51.100.20");
  });

  it("no recorded peer: one shared 'unknown' address, so such requests can't escape the limit", () => {
    expect(clientAddress({}, 0)).toBe("unknown");
    expect(clientAddress({ "x-forwarded-for": "1.2.3.4" }, 0)).toBe("unknown");
  });
});

describe("limitKeyOf", () => {
  it("IPv4 as is, IPv4-mapped IPv6 as IPv4", () => {
    expect(limitKeyOf("198.51.100.20")).toBe("198.51.100.20");
    expect(limitKeyOf("::ffff:127.0.0.1")).toBe("127.0.0.1");
  });

  it("IPv6 by its /64: the addresses of one subscriber's network count together", () => {
    expect(limitKeyOf("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(limitKeyOf("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(limitKeyOf("2001:0db8:0001:0002::9")).toBe("2001:db8:1:2::/64");
    expect(limitKeyOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(limitKeyOf("::1")).toBe("0:0:0:0::/64");
    expect(limitKeyOf("[2001:db8:1:3::1]")).toBe("2001:db8:1:3::/64");
    expect(limitKeyOf("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("anything else (a garbage header entry) is kept, cut to 64 characters", () => {
    expect(limitKeyOf("unknown")).toBe("unknown");
    expect(limitKeyOf("x".repeat(500))).toHaveLength(64);
  });
});
