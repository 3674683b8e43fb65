/**
 * Assertion helpers for the tagging tests.
 *
 * Self-contained on purpose: `node:assert` needs `@types/node` to type-check, which this
 * repository's `nodeModulesDir: "manual"` setup does not provide, and JSR's @std/assert is not
 * reachable.
 * @module
 */

/** Thrown when an assertion fails. */
export class AssertionError extends Error {
  /** `message` describes the failed comparison. */
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

/** Asserts a truthy condition. */
export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new AssertionError(msg);
}

function show(x: unknown): string {
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}[${Array.from(x as Int32Array)}]`;
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

/** Structural equality: primitives by `Object.is`, arrays / typed arrays / plain objects deeply. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((v, i) => deepEqual(v, y[i]));
  }
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (!deepEqual(ka, kb)) return false;
  return ka.every((k) =>
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
  );
}

/** Deep structural equality (see {@link deepEqual}). */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  if (!deepEqual(actual, expected)) {
    throw new AssertionError(
      `${msg ? msg + ": " : ""}values differ\n  actual:   ${show(actual)}\n  expected: ${
        show(expected)
      }`,
    );
  }
}

/** |actual − expected| ≤ tol. */
export function assertClose(actual: number, expected: number, tol: number, msg?: string): void {
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new AssertionError(
      `${msg ?? "assertClose"}: ${actual} vs ${expected} (|diff| ${
        Math.abs(actual - expected)
      } > ${tol})`,
    );
  }
}

/** Asserts `fn` throws an instance of `cls` and returns the error for further checks. */
export function assertThrows<E extends Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  cls: new (...args: any[]) => E,
  msgIncludes?: string,
): E {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof cls)) {
      throw new AssertionError(`expected ${cls.name}, got ${(e as Error)?.name}: ${e}`);
    }
    if (msgIncludes !== undefined && !e.message.includes(msgIncludes)) {
      throw new AssertionError(
        `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(msgIncludes)}`,
      );
    }
    return e;
  }
  throw new AssertionError(`expected ${cls.name} to be thrown`);
}
