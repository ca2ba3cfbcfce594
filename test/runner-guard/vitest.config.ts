// The suite's Vitest config (same global setup, so the same database helpers are loaded in
// Vitest's main process), narrowed to the failing fixture.
import base from "../../vitest.config";

export default { ...base, test: { ...base.test, include: ["test/runner-guard/failing.fixture.ts"] } };
