/**
 * The environment variables the library and CLI read, in one place: every read asks for the
 * permission first (an ungranted read would throw, or prompt on a terminal), and
 * `JOINTAG_THREADS` is parsed once here for the BLAS threads and the CPU worker pool alike.
 * @module
 */

/** `name` from the environment; undefined when unset or when reading it is not allowed. */
export function readEnv(name: string): string | undefined {
  if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
    return undefined;
  }
  return Deno.env.get(name);
}

/**
 * `JOINTAG_THREADS` as a thread count; undefined when unset or empty.
 * @param invalid the caller's error for a value that is not a positive integer
 */
export function threadsFromEnv(invalid: (text: string) => Error): number | undefined {
  const text = readEnv("JOINTAG_THREADS");
  if (text === undefined || text === "") return undefined;
  const t = Number(text);
  if (!Number.isInteger(t) || t < 1) throw invalid(text);
  return t;
}
