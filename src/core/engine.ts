/**
 * Global state of the tensor library: the default backend, the stack of memory scopes (`tidy`) and
 * the gradient-recording switch (`noGrad`). Kept tiny and separate so every other module can read it
 * without import cycles.
 * @module
 */
import type { Backend } from "./backend.ts";

/** Something that can be disposed and tracked by a scope. */
export interface Disposable {
  /** Frees the object's resources; it must not be used afterwards. */
  dispose(): void;
  /** The scope that will dispose this object, if any. */
  scope: Set<Disposable> | null;
}

let defaultBackend: Backend | null = null;
const scopes: Set<Disposable>[] = [];
let noGradDepth = 0;

/** Sets the backend new tensors are created on when none is named. */
export function setBackend(backend: Backend): void {
  defaultBackend = backend;
}

/** The default backend; throws if none was set. */
export function getBackend(): Backend {
  if (!defaultBackend) {
    throw new Error(
      "no backend set: call setBackend(await createBackend('auto')) or pass { backend } when creating tensors",
    );
  }
  return defaultBackend;
}

/** Registers a new object with the innermost scope (if any). */
export function track<T extends Disposable>(obj: T): T {
  const scope = scopes[scopes.length - 1];
  if (scope) {
    scope.add(obj);
    obj.scope = scope;
  }
  return obj;
}

/** Removes an object from its scope so the scope's end does not dispose it. */
export function keep<T extends Disposable>(obj: T): T {
  if (obj.scope) {
    obj.scope.delete(obj);
    obj.scope = null;
  }
  return obj;
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (in any nesting of
 * arrays and plain objects) and those passed to `keep()`. Returned tensors move to the outer scope.
 * `fn` must be synchronous: an async function would let the scope end before its tensors exist.
 * @example
 * ```ts
 * const y = tidy(() => relu(add(x, b))); // the intermediate add is freed
 * ```
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Disposable>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) {
    throw new Error("tidy(): the function must be synchronous (it returned a Promise)");
  }
  const returned = new Set<Disposable>();
  collect(result, returned);
  const outer = scopes[scopes.length - 1] ?? null;
  for (const t of scope) {
    if (returned.has(t)) {
      t.scope = outer;
      outer?.add(t);
    } else {
      t.scope = null;
      t.dispose();
    }
  }
  return result;
}

function collect(value: unknown, out: Set<Disposable>, depth = 0): void {
  if (value === null || typeof value !== "object" || depth > 8) return;
  if (typeof (value as Disposable).dispose === "function" && "scope" in value) {
    out.add(value as Disposable);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
  } else if (value instanceof Map) {
    for (const v of value.values()) collect(v, out, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, out, depth + 1);
  }
}

/** Runs `fn` without recording gradients (evaluation, optimizer updates). Works with async `fn`. */
export function noGrad<T>(fn: () => T): T {
  noGradDepth++;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    noGradDepth--;
    throw e;
  }
  if (result instanceof Promise) {
    return result.finally(() => noGradDepth--) as T;
  }
  noGradDepth--;
  return result;
}

/** Whether ops currently record a graph for `backward()`. */
export function isGradEnabled(): boolean {
  return noGradDepth === 0;
}
