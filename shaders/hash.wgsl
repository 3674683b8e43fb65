// hash_u32: the counter-based hash of src/core/random.ts `hashU32` (a PCG output permutation), for
// dropout masks: element i of a tensor is kept when hash_u32(seed ^ hash_u32(i)) ≥ p·2³².
// Appended to the shaders that use it; the including shader declares `alias U` (u32 or vec4<u32>).
fn hash_u32(v: U) -> U {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> U(28u)) + U(4u))) ^ state) * 277803737u;
  return (word >> U(22u)) ^ word;
}
