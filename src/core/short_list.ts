/**
 * Long lists in messages: the first few items and how many more, so a wrong-names checkpoint
 * says "missing 101 tensor(s): a, b, c, d, e, … (96 more)" instead of one line of 101 names.
 * @module
 */

/** `a, b, c` when `items` has at most `max` entries, else the first `max` and "… (N more)". */
export function shortList(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")}, … (${items.length - max} more)`;
}
