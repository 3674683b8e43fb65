/**
 * The one tolerance check of the tests, on node:assert/strict (which has none): |actual −
 * expected| ≤ tol, with both values in the message, which `assert.ok` alone would not show.
 * @module
 */
import assert from "node:assert/strict";

/** Asserts |actual − expected| ≤ tol (NaN fails); `msg` prefixes the message. */
export function assertClose(actual: number, expected: number, tol: number, msg?: string): void {
  const diff = Math.abs(actual - expected);
  assert.ok(
    diff <= tol,
    `${msg ?? "assertClose"}: ${actual} vs ${expected} (|diff| ${diff} > ${tol})`,
  );
}
