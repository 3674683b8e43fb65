/**
 * A GEMM provider wrapper that accumulates the time spent in matmuls, so the bench can split a
 * CPU training step into matmul time and everything else.
 * @module
 */
import type { Gemm, GemmArgs } from "../mod.ts";

/** A {@link Gemm} that counts calls and milliseconds of the provider it wraps. */
export interface TimedGemm extends Gemm {
  /** Milliseconds inside the wrapped provider since the last `reset()`. */
  ms: number;
  /** Calls since the last `reset()`. */
  calls: number;
  /** Floating-point operations since the last `reset()`. */
  flops: number;
  reset(): void;
}

/** Wraps `inner`; every call is timed with `performance.now()`. */
export function timedGemm(inner: Gemm): TimedGemm {
  const timed = (args: GemmArgs<Float32Array | Float64Array>, run: () => void) => {
    const t0 = performance.now();
    run();
    t.ms += performance.now() - t0;
    t.calls++;
    t.flops += 2 * args.m * args.n * args.k * args.batch;
  };
  const t: TimedGemm = {
    name: inner.name,
    sgemmBias: inner.sgemmBias,
    ms: 0,
    calls: 0,
    flops: 0,
    reset() {
      t.ms = 0;
      t.calls = 0;
      t.flops = 0;
    },
    sgemm: (args) => timed(args, () => inner.sgemm(args)),
    dgemm: (args) => timed(args, () => inner.dgemm(args)),
  };
  return t;
}
