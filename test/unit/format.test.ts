import { describe, expect, it } from "vitest";
import { formatCount, formatDate, plural } from "@/components/format";

// src/components/format.ts formats without Intl; it must say what toLocaleString said.
describe("format", () => {
  it("counts as Number#toLocaleString('en-US') does", () => {
    for (const n of [0, 1, 12, 999, 1000, 2500, 12345, 999999, 1234567, 1000000000, -5, -1234, -1234567, 2.5]) {
      expect(formatCount(n)).toBe(n.toLocaleString("en-US"));
    }
    expect(plural(1, "prospect")).toBe("1 prospect");
    expect(plural(2500, "prospect")).toBe("2,500 prospects");
  });

  it("dates as Date#toLocaleString('en-GB', …) does, every month and hour; nothing or garbage is a dash", () => {
    const options = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" } as const;
    for (let month = 0; month < 12; month++) {
      for (const [day, hour, minute] of [[1, 0, 0], [9, 9, 5], [15, 12, 30], [28, 23, 59]] as const) {
        const date = new Date(2026, month, day, hour, minute, 17);
        expect(formatDate(date)).toBe(date.toLocaleString("en-GB", options));
        expect(formatDate(date.toISOString())).toBe(date.toLocaleString("en-GB", options));
      }
    }
    expect(formatDate(null)).toBe("—");
    expect(formatDate(undefined)).toBe("—");
    expect(formatDate("not a date")).toBe("—");
  });
});
