// What the sign-in form says, from the error string next-auth passes on.
import { describe, expect, it } from "vitest";
import { parseRefusal, refusalCode, signInErrorMessage, waitText } from "@/components/auth/sign-in-errors";

describe("sign-in error codes", () => {
  it("a refusal survives the round trip through next-auth's error string", () => {
    const code = refusalCode({ kind: "rate_limited", retryAfterSeconds: 840 });
    expect(code).toBe("rate_limited:840");
    expect(parseRefusal(code)).toEqual({ kind: "rate_limited", retryAfterSeconds: 840 });
    expect(parseRefusal("unavailable:5")).toEqual({ kind: "unavailable", retryAfterSeconds: 5 });
    for (const other of [null, undefined, "", "CredentialsSignin", "rate_limited", "rate_limited:", "rate_limited:-1", "rate_limited:1e9", "other:5"]) {
      expect(parseRefusal(other)).toBeNull();
    }
  });

  it("says how long to wait in words a person reads", () => {
    expect(waitText(1)).toBe("1 second");
    expect(waitText(45)).toBe("45 seconds");
    expect(waitText(60)).toBe("1 minute");
    expect(waitText(61)).toBe("2 minutes");
    expect(waitText(900)).toBe("15 minutes");
  });

  it("messages", () => {
    expect(signInErrorMessage("rate_limited:840")).toBe("Too many failed sign-ins. Please wait 14 minutes and try again.");
    expect(signInErrorMessage("unavailable:5")).toBe("The service is unavailable. Please try again in 5 seconds.");
    expect(signInErrorMessage("CredentialsSignin")).toBe("Wrong email or password.");
    expect(signInErrorMessage("<script>")).toBe("Sign-in failed. Please try again.");
    expect(signInErrorMessage(undefined)).toBeNull();
  });
});
