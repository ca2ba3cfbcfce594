import { describe, expect, it } from "vitest";
import { formatCount, formatDate, plural } from "@/components/format";

// The formatters are made once (src/components/format.ts); they must say what toLocaleString said.
describe("format", () => {
  it("counts as Number#toLocaleString('en-US') does", () => {
    for (const n of [0, 1, 999, 1000, 2500, 1234567, -5]) expect(formatCount(n)).toBe(n.toLocaleString("en-US"));
    expect(plural(1, "prospect")).toBe("1 prospect");
    expect(plural(2500, "prospect")).toBe("2,500 prospects");
  });

  it("dates as Date#toLocaleString('en-GB', …) does; nothing or garbage is a dash", () => {
    const options = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" } as const;
    for (const iso of ["2026-12-01T12:00:00Z", "2026-01-05T03:04:05.678Z"]) {
      expect(formatDate(iso)).toBe(new Date(iso).toLocaleString("en-GB", options));
      expect(formatDate(new Date(iso))).toBe(new Date(iso).toLocaleString("en-GB", options));
    }
    expect(formatDate(null)).toBe("—");
    expect(formatDate("not a date")).toBe("—");
  });
});
