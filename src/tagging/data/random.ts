/**
 * The data side's seeded generator: the library's one generator ({@link Random}, xoshiro128**)
 * seeded the way splits, batch orders, resamples and the demo corpus always were, so every seeded
 * result is the same in Deno and in browsers, and as before.
 * @module
 */
import { Random } from "../../core/random.ts";
import { TaggingArgumentError } from "../errors.ts";

/** A {@link Random} seeded by {@link Random.fromSafeInteger}. Not cryptographic. */
export class Rng extends Random {
  /**
   * Seeds from any safe integer (both 32-bit halves are used).
   * @throws TaggingArgumentError for a non-integer seed.
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new TaggingArgumentError("Rng", `seed must be a safe integer, got ${seed}`);
    }
    super();
    this.setState(Random.fromSafeInteger(seed).getState());
  }
}
