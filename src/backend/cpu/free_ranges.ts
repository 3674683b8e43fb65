/**
 * Free lists of byte ranges as flat `[offset, bytes, offset, bytes, …]` arrays, sorted by offset
 * and never adjacent: the host arena's chunks (./host_arena.ts) and the WebAssembly heap's
 * given-back pages (./wasm_heap.ts) both keep theirs so.
 * @module
 */

/** A range taken from a free list. */
export interface TakenRange {
  offset: number;
  bytes: number;
}

/**
 * Takes from the first free range of at least `least` bytes: all of it up to `most` bytes, from
 * its start. Null when no range is large enough.
 */
export function takeFirstFit(free: number[], least: number, most = least): TakenRange | null {
  for (let i = 0; i < free.length; i += 2) {
    const len = free[i + 1];
    if (len < least) continue;
    const offset = free[i];
    const bytes = Math.min(len, most);
    if (len === bytes) free.splice(i, 2);
    else {
      free[i] = offset + bytes;
      free[i + 1] = len - bytes;
    }
    return { offset, bytes };
  }
  return null;
}

/** Adds the range [offset, offset + bytes) to `free`, merged with the ranges it touches. */
export function insertMerged(free: number[], offset: number, bytes: number): void {
  let i = 0;
  while (i < free.length && free[i] < offset) i += 2;
  const before = i >= 2 && free[i - 2] + free[i - 1] === offset;
  const after = i < free.length && offset + bytes === free[i];
  if (before && after) {
    free[i - 1] += bytes + free[i + 1];
    free.splice(i, 2);
  } else if (before) free[i - 1] += bytes;
  else if (after) {
    free[i] = offset;
    free[i + 1] += bytes;
  } else free.splice(i, 0, offset, bytes);
}
