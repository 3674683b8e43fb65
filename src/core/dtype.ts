/**
 * Element types. `f32` for values, `i32` for ids, labels and masks. The CPU backend can store `f32`
 * tensors in float64 (its gradient-check mode); the dtype still says `f32` because that is what the
 * tensor means to the model.
 * @module
 */

/** Element type of a tensor. */
export type DType = "f32" | "i32";

/** Typed arrays a backend may hand out for a tensor's data. */
export type TypedArray = Float32Array | Float64Array | Int32Array;

/** Float storage of the CPU backend. */
export type FloatArray = Float32Array | Float64Array;

/**
 * `data` as float32: itself when it already is (reads from a backend are copies already, so a
 * checkpoint of a large model is not copied twice), else a converted copy (the float64 CPU
 * backend of the gradient checks).
 */
export function toFloat32(data: TypedArray): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}
