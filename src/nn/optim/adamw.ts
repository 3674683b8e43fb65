/**
 * AdamW with decoupled weight decay (PyTorch's `torch.optim.AdamW`): one fused in-place kernel call
 * for all parameters of a step. Parameters can be excluded from decay (biases and LayerNorm
 * weights, as in BERT fine-tuning). Gradient clipping's scale is applied inside the same kernel,
 * read from the device, so a step never waits for a value to come back to the host.
 *
 * Kernel `adamw_group` (an optimizer, so not in src/ops/): CPU
 * src/backend/cpu/kernels/adamw_group.ts, which runs the single-parameter `adamw` kernel of
 * src/backend/cpu/kernels/adamw.ts on each parameter; WebGPU src/backend/webgpu/kernels/adamw.ts,
 * both kernels in one file: several parameters per dispatch with shaders/adamw_group.wgsl, or one
 * per dispatch with shaders/adamw.wgsl (software adapters, parameters too large to bind).
 * @module
 */
import { toFloat32 } from "../../core/dtype.ts";
import { noGrad, tidy } from "../../core/engine.ts";
import type { Tensor } from "../../core/tensor.ts";
import { tensor, zerosLike } from "../../ops/creation.ts";
import { runKernelInto } from "../../ops/kernel.ts";
import { concat } from "../../ops/shape_ops.ts";
import type { AdamWGroupAttrs } from "../../core/kernel_contract.ts";

export type { AdamWGroupAttrs };

/** AdamW hyper-parameters. */
export interface AdamWOptions {
  /** Initial learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** Decoupled weight decay coefficient (default 0.01, PyTorch's). */
  weightDecay?: number;
  /** Names (or a predicate) of parameters that get no weight decay. */
  noDecay?: (name: string) => boolean;
}

/** Serializable optimizer state (moments read back to the host). */
export interface AdamWState {
  /** Steps taken (the bias correction depends on it). */
  step: number;
  /** First (`m`) and second (`v`) moment estimates per parameter, by parameter name. */
  moments: { name: string; m: Float32Array; v: Float32Array }[];
}

/** The parameter-name rule of BERT fine-tuning: no decay on biases and LayerNorm weights. */
export const bertNoDecay = (name: string): boolean => /(^|\.)bias$|LayerNorm\.weight$/.test(name);

/**
 * AdamW over named parameters.
 * @example
 * ```ts
 * const opt = new AdamW(model.namedParameters(), { lr: 5e-5, weightDecay: 0.01, noDecay: bertNoDecay });
 * loss.backward(); opt.step(); model.zeroGrad();
 * ```
 */
export class AdamW {
  /** Learning rate used by the next `step()` (schedules set it). */
  lr: number;
  /** Steps taken. */
  stepCount = 0;
  /** Decay rates of the moment estimates (see {@link AdamWOptions.betas}). */
  readonly betas: [number, number];
  /** Denominator epsilon (see {@link AdamWOptions.eps}). */
  readonly eps: number;
  /** Decoupled weight decay coefficient. */
  readonly weightDecay: number;
  #params: { name: string; p: Tensor; m: Tensor; v: Tensor; decay: boolean }[];

  /**
   * Creates the optimizer and its zeroed moment tensors, one pair per parameter.
   * @param params named parameters, as `Module.namedParameters()` lists them (the names are
   *   matched by `noDecay` and by `loadState`)
   */
  constructor(params: [string, Tensor][], o: AdamWOptions = {}) {
    this.lr = o.lr ?? 1e-3;
    this.betas = o.betas ?? [0.9, 0.999];
    this.eps = o.eps ?? 1e-8;
    this.weightDecay = o.weightDecay ?? 0.01;
    const noDecay = o.noDecay ?? (() => false);
    this.#params = params.map(([name, p]) => ({
      name,
      p,
      m: zerosLike(p).keep(),
      v: zerosLike(p).keep(),
      decay: !noDecay(name),
    }));
  }

  /**
   * Applies one update to every parameter that has a gradient. `gradScale` (a one-element tensor,
   * e.g. from `clipGradNorm`) multiplies all gradients.
   */
  step(gradScale?: Tensor): void {
    this.stepCount++;
    const [b1, b2] = this.betas;
    const bc1 = 1 - b1 ** this.stepCount;
    const bc2 = 1 - b2 ** this.stepCount;
    noGrad(() =>
      tidy(() => {
        const backend = this.#params[0]?.p.backend;
        if (!backend) return;
        // Host-side hyper-parameters; the clipping scale (already on the device) fills the last slot.
        const hyper = (wd: number): Tensor => {
          const base = [this.lr, b1, b2, this.eps, wd, bc1, bc2];
          if (!gradScale) return tensor([...base, 1], [8], { backend });
          return concat([tensor(base, [7], { backend }), gradScale.view([1])], 0);
        };
        const hDecay = hyper(this.weightDecay);
        const hNoDecay = hyper(0);
        const live = this.#params.filter((e) => e.p.grad);
        if (live.length === 0) return;
        const attrs: AdamWGroupAttrs = { decay: live.map((e) => (e.decay ? 1 : 0)) };
        runKernelInto(
          "adamw_group",
          [hDecay, hNoDecay, ...live.map((e) => e.p.grad!)],
          live.flatMap((e) => [e.p, e.m, e.v]),
          attrs,
        );
      })
    );
  }

  /** Moments and step count, read back for checkpoints. */
  async state(): Promise<AdamWState> {
    const moments = [];
    for (const e of this.#params) {
      moments.push({
        name: e.name,
        m: toFloat32(await e.m.data()),
        v: toFloat32(await e.v.data()),
      });
    }
    return { step: this.stepCount, moments };
  }

  /** Restores moments and step count saved by `state()`. */
  loadState(s: AdamWState): void {
    this.stepCount = s.step;
    const byName = new Map(s.moments.map((x) => [x.name, x]));
    for (const e of this.#params) {
      const saved = byName.get(e.name);
      if (!saved) throw new Error(`AdamW.loadState: no moments for parameter ${e.name}`);
      e.m.dispose();
      e.v.dispose();
      e.m = tensor(saved.m, e.p.shape, { backend: e.p.backend }).keep();
      e.v = tensor(saved.v, e.p.shape, { backend: e.p.backend }).keep();
    }
  }

  /** Frees the moment buffers. */
  dispose(): void {
    for (const e of this.#params) {
      e.m.dispose();
      e.v.dispose();
    }
  }
}
