/**
 * The plain weight map exchanged between checkpoint readers/writers and the model.
 * Deliberately free of any tensor-library dependency so that I/O code can be used
 * (and tested) on its own, in Deno or in a browser.
 * @module
 */

/** One named parameter: row-major contiguous float32 data. */
export interface WeightEntry {
  /** Always "f32": readers convert f16/bf16/f64/int tensors on load. */
  dtype: "f32";
  /** Dimensions, outermost first ([] for a scalar). */
  shape: number[];
  /** shape.reduce(*) values, row-major. */
  data: Float32Array;
}

/** Parameter name → weight. Insertion order is preserved by readers (file order). */
export type WeightMap = Map<string, WeightEntry>;

/** Number of elements of a shape (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
