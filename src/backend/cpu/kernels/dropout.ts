/**
 * CPU kernel `dropout` (src/ops/dropout.ts): the counter-based mask of `hashUniform`, identical to
 * shaders/dropout.wgsl.
 * @module
 */
import { hashU32 } from "../../../core/random.ts";
import type { DropoutAttrs } from "../../../ops/dropout.ts";
import type { CpuKernel } from "./types.ts";

const dropout: CpuKernel = ([x], [y], attrs) => {
  const { p, seed } = attrs as unknown as DropoutAttrs;
  const scale = 1 / (1 - p);
  // Compare in u32 space, as the shader does: keep when hash ≥ p·2³².
  const threshold = Math.min(Math.floor(p * 4294967296), 4294967295);
  for (let i = 0; i < y.length; i++) {
    y[i] = hashU32((seed ^ hashU32(i)) >>> 0) >= threshold ? x[i] * scale : 0;
  }
};

/** Dropout kernels by name. */
export const dropoutKernels: Record<string, CpuKernel> = { dropout };
