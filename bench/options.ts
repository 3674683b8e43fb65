/**
 * Command-line options of the bench scripts: `--name=value`, or a bare `--name` (value "").
 * @module
 */

/** The value of `--name=value` (or "" for a bare `--name`) in `Deno.args`, else undefined. */
export function benchOption(name: string): string | undefined {
  const hit = Deno.args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return hit === undefined ? undefined : hit.slice(name.length + 3);
}
