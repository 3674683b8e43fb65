/**
 * CPU kernel `adamw_group` (src/nn/optim/adamw.ts): every parameter of a step in one call, each
 * through the single-parameter `adamw` kernel (on the CPU a call costs nothing to save).
 * Inputs [hyper with decay, hyper without, grad 0, …], outputs [param 0, m 0, v 0, …].
 * @module
 */
import type { TypedArray } from "../../../core/dtype.ts";
import { adamwKernels, BLOCK } from "./adamw.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";
import { type CpuJob, type CpuSplits, partsFor, splitPoints } from "../split_parts.ts";

const adamwGroup: CpuKernel<"adamw_group"> = (
  [hDecay, hNoDecay, ...grads],
  outputs,
  attrs,
  backend,
) => {
  const { decay } = attrs;
  grads.forEach((g, i) =>
    adamwKernels.adamw(
      [g, decay[i] ? hDecay : hNoDecay],
      outputs.slice(3 * i, 3 * i + 3),
      {},
      backend,
    )
  );
};

/** The grouped optimizer kernel by name. */
export const adamwGroupKernels: CpuKernels<"adamw_group"> = { adamw_group: adamwGroup };

/** One part of a split `adamw_group` call: its pieces of parameters, and their elements in all. */
interface GroupPart {
  grads: TypedArray[];
  outputs: TypedArray[];
  decay: number[];
  load: number;
}

/**
 * Deals the parameters to `parts` parts. Every parameter large enough is cut into `parts` pieces
 * (on zero-test blocks), piece p to part p: a parameter's cost per element varies (an embedding's
 * unused rows only decay), and cutting each one spreads that evenly. Small ones go whole to the
 * part with the least so far.
 */
function dealParams(
  grads: TypedArray[],
  outputs: TypedArray[],
  decay: number[],
  parts: number,
): GroupPart[] {
  const out = Array.from({ length: parts }, (): GroupPart => ({
    grads: [],
    outputs: [],
    decay: [],
    load: 0,
  }));
  grads.forEach((g, i) => {
    const take = (part: GroupPart, from: number, to: number) => {
      part.grads.push(g.subarray(from, to));
      for (const o of outputs.slice(3 * i, 3 * i + 3)) part.outputs.push(o.subarray(from, to));
      part.decay.push(decay[i]);
      part.load += to - from;
    };
    const points = splitPoints(g.length, parts, BLOCK);
    if (points.length === parts + 1) out.forEach((part, p) => take(part, points[p], points[p + 1]));
    else take(out.reduce((least, part) => (part.load < least.load ? part : least)), 0, g.length);
  });
  return out;
}

/**
 * `adamw_group` split into groups of parameter pieces (see `dealParams`), each part a grouped
 * update of its own with both hyper-parameter vectors.
 */
export const adamwGroupSplits: CpuSplits<"adamw_group"> = {
  adamw_group: (inputs, outputs, attrs, threads, minPart = 65536) => {
    const [hDecay, hNoDecay, ...grads] = inputs;
    const total = grads.reduce((s, g) => s + g.length, 0);
    const parts = partsFor(total, minPart, threads);
    if (parts < 2) return null;
    const jobs = dealParams(grads, outputs, attrs.decay, parts)
      .filter((part) => part.decay.length > 0)
      .map((part): CpuJob => ({
        kernel: "adamw_group",
        inputs: [hDecay, hNoDecay, ...part.grads],
        outputs: part.outputs,
        attrs: { decay: part.decay },
      }));
    return jobs.length < 2 ? null : jobs;
  },
};
