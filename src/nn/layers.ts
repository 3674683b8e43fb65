/**
 * The basic layers: Linear (PyTorch/HF weight layout [out, in]), Embedding, LayerNorm, Dropout.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { dropout } from "../ops/dropout.ts";
import { embedding } from "../ops/gather.ts";
import { layerNorm, residualLayerNorm } from "../ops/layer_norm.ts";
import { linear } from "../ops/linear.ts";
import { type InitOptions, normalInit, onesInit, uniformInit, zerosInit } from "./init.ts";
import { Module } from "./module.ts";

/** Options of `Linear`. */
export interface LinearOptions extends InitOptions {
  /** Whether the layer has a bias (default true). */
  bias?: boolean;
  /** Normal(0, std) weights and zero bias (BERT) instead of PyTorch's default uniform init. */
  std?: number;
}

/**
 * `y = x·Wᵀ + b` with W of shape [out, in].
 * @example
 * ```ts
 * const head = new Linear(384, 17);
 * const logits = head.forward(hidden); // [B, T, 384] -> [B, T, 17]
 * ```
 */
export class Linear extends Module {
  /** Creates the weight (and bias) initialised as PyTorch's `nn.Linear`, or as BERT with `std`. */
  constructor(readonly inFeatures: number, readonly outFeatures: number, o: LinearOptions = {}) {
    super();
    const bound = 1 / Math.sqrt(inFeatures);
    this.param(
      "weight",
      o.std !== undefined
        ? normalInit([outFeatures, inFeatures], o.std, o)
        : uniformInit([outFeatures, inFeatures], bound, o),
    );
    if (o.bias ?? true) {
      this.param(
        "bias",
        o.std !== undefined ? zerosInit([outFeatures], o) : uniformInit([outFeatures], bound, o),
      );
    }
  }

  /** The [out, in] weight. */
  get weight(): Tensor {
    return this.getParam("weight");
  }

  /** The bias, if any. */
  get bias(): Tensor | undefined {
    return this.getParam("bias");
  }

  /** Applies the layer to the last dim of `x`, optionally followed by exact GELU (fused when no
   * gradient is recorded). */
  forward(x: Tensor, activation: "none" | "gelu" = "none"): Tensor {
    return linear(x, this.weight, this.bias, { activation });
  }
}

/** A lookup table of `num` vectors of size `dim`. */
export class Embedding extends Module {
  /**
   * `std`: init std-dev (default 1, like PyTorch); `paddingIdx`: a row initialised to zeros (the
   * gradient still reaches it, as in HF BERT which zeroes it only at init).
   */
  constructor(
    readonly num: number,
    readonly dim: number,
    o: InitOptions & { std?: number; paddingIdx?: number | null } = {},
  ) {
    super();
    const pad = o.paddingIdx ?? null;
    this.param(
      "weight",
      pad === null
        ? normalInit([num, dim], o.std ?? 1, o)
        : normalInit([num, dim], o.std ?? 1, { ...o, zeroRow: pad }),
    );
  }

  /** The [num, dim] table. */
  get weight(): Tensor {
    return this.getParam("weight");
  }

  /** Rows for integer `ids` of any shape. */
  forward(ids: Tensor): Tensor {
    return embedding(this.weight, ids);
  }
}

/** Layer normalisation over the last dim, with weight and bias. */
export class LayerNorm extends Module {
  /** Creates the layer with weight 1 and bias 0; `eps` is added to the variance. */
  constructor(readonly dim: number, readonly eps = 1e-5, o: InitOptions = {}) {
    super();
    this.param("weight", onesInit([dim], o));
    this.param("bias", zerosInit([dim], o));
  }

  /** Normalises the last dim. */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.getParam("weight"), this.getParam("bias"), this.eps);
  }

  /**
   * `forward(dropout.forward(x) + residual)` as one fused op (`residualLayerNorm`): the same
   * result, mask and seed draw as the three modules in a row.
   */
  forwardResidual(x: Tensor, residual: Tensor, dropout: Dropout): Tensor {
    return residualLayerNorm(
      x,
      residual,
      this.getParam("weight"),
      this.getParam("bias"),
      this.eps,
      {
        p: dropout.p,
        training: dropout.training,
      },
    );
  }
}

/** Dropout active in training mode only. */
export class Dropout extends Module {
  /**
   * Creates the layer (in training mode, as every module starts).
   * @param p probability of zeroing an element (the rest are scaled by 1 / (1 - p))
   */
  constructor(readonly p: number) {
    super();
  }

  /** Drops in training, identity in evaluation. */
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training });
  }
}
