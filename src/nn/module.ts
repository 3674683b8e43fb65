/**
 * `Module`: a named tree of parameters and sub-modules with PyTorch's conventions — dotted
 * parameter names (`encoder.layer.0.attention.self.query.weight`), `train()` / `eval()`, and
 * state dicts — so Hugging Face checkpoints map onto jointag models by name.
 * @module
 */
import { toFloat32 } from "../core/dtype.ts";
import { keep } from "../core/engine.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import type { Tensor } from "../core/tensor.ts";
import { tensor } from "../ops/creation.ts";
import { shortList } from "../core/short_list.ts";

/** A host copy of one tensor (checkpoint files, state dicts). */
export interface HostTensor {
  /** Dimensions of the tensor. */
  shape: number[];
  /** The values, row-major. */
  data: Float32Array;
}

/** Base class of layers and models. */
export class Module {
  /** Dropout and similar layers behave differently in training. */
  training = true;
  #params = new Map<string, Tensor>();
  #children = new Map<string, Module>();

  /** Registers a parameter (a leaf with requiresGrad, not owned by any tidy scope). */
  protected param(name: string, t: Tensor): Tensor {
    t.requiresGrad = true;
    keep(t);
    this.#params.set(name, t);
    return t;
  }

  /** Registers a sub-module under `name`. */
  protected child<M extends Module>(name: string, m: M): M {
    this.#children.set(name, m);
    return m;
  }

  /** Every parameter with its dotted name, in registration order. */
  namedParameters(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [n, p] of this.#params) out.push([prefix + n, p]);
    for (const [n, c] of this.#children) out.push(...c.namedParameters(`${prefix}${n}.`));
    return out;
  }

  /** Every parameter. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Sets training mode on this module and all sub-modules. */
  train(on = true): this {
    this.training = on;
    for (const c of this.#children.values()) c.train(on);
    return this;
  }

  /** Evaluation mode (no dropout). */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /** Total number of parameter elements. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Reads every parameter to the host. */
  async stateDict(): Promise<Map<string, HostTensor>> {
    const out = new Map<string, HostTensor>();
    for (const [n, p] of this.namedParameters()) {
      out.set(n, { shape: p.shape.slice(), data: toFloat32(await p.data()) });
    }
    return out;
  }

  /**
   * Replaces parameters' values from a state dict. Every parameter must be present with the same
   * shape (else a ShapeError listing the missing or mismatched names); extra entries are returned.
   */
  loadStateDict(state: Map<string, HostTensor>): string[] {
    const named = this.namedParameters();
    const missing = named.filter(([n]) => !state.has(n)).map(([n]) => n);
    if (missing.length) {
      throw new ShapeError(
        "loadStateDict",
        `${missing.length} parameter(s) missing: ${shortList(missing)}`,
      );
    }
    for (const [n, p] of named) {
      const s = state.get(n)!;
      if (s.shape.length !== p.rank || s.shape.some((d, i) => d !== p.shape[i])) {
        throw new ShapeError(
          "loadStateDict",
          `parameter ${n}: checkpoint has ${fmtShape(s.shape)}, model has ${fmtShape(p.shape)}`,
        );
      }
      this.#replace(n, p, tensor(s.data, s.shape, { backend: p.backend }));
    }
    const known = new Set(named.map(([n]) => n));
    return [...state.keys()].filter((k) => !known.has(k));
  }

  #replace(name: string, old: Tensor, fresh: Tensor): void {
    // Swap the storage into the registered parameter object's place in its owning module.
    const parts = name.split(".");
    const m = parts.slice(0, -1).reduce<Module>((mod, p) => mod.#children.get(p)!, this);
    const leaf = parts[parts.length - 1];
    fresh.requiresGrad = true;
    keep(fresh);
    m.#params.set(leaf, fresh);
    old.grad?.dispose();
    old.dispose();
  }

  /** The registered parameter `name` of this module (layers read parameters through this, so a
   * `loadStateDict` replacement is seen at once). */
  protected getParam(name: string): Tensor {
    return this.#params.get(name)!;
  }

  /** Disposes every parameter (and its gradient). */
  dispose(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.dispose();
    }
  }
}
