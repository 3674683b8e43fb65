/**
 * A node of the reverse-mode graph: the op that produced one tensor, the edges to its inputs, the
 * tensors it saved for its gradient, and its gradient rule. Nodes are reference counted by their
 * output tensor and their child nodes, so a graph nobody can reach any more (its outputs disposed,
 * no backward called) frees its saved tensors at once instead of waiting for the garbage collector.
 * @module
 */
import type { Tensor } from "./tensor.ts";

/** Where an input's gradient goes: a leaf tensor's `.grad`, or an upstream node. */
export type Edge = { leaf: Tensor } | { node: GraphNode } | null;

/** A gradient rule: upstream gradient and saved tensors in, one gradient per input out. */
export type GradFn = (dy: Tensor, saved: Tensor[], needs: boolean[]) => (Tensor | null)[];

/** One recorded op. */
export class GraphNode {
  #refs = 1;
  #saved: Tensor[];
  #spent = false;

  /**
   * Records an op; takes a reference on each input node. `saved` (owned by the node from now on)
   * are the tensors `gradFn` reads.
   */
  constructor(
    /** Op name, for error messages. */
    readonly op: string,
    /** Shape of the produced tensor (the gradient arriving here has it). */
    readonly shape: readonly number[],
    /** One edge per op input (null where no gradient flows). */
    readonly edges: Edge[],
    saved: Tensor[],
    /** Computes the inputs' gradients from this node's gradient. */
    readonly gradFn: GradFn,
  ) {
    this.#saved = saved;
    for (const e of edges) if (e && "node" in e) e.node.#refs++;
  }

  /** Tensors saved for the gradient (views owned by this node). */
  get saved(): Tensor[] {
    return this.#saved;
  }

  /** Whether `backward()` already ran through this node (its saved tensors are gone). */
  get spent(): boolean {
    return this.#spent;
  }

  /** Frees saved tensors after a backward pass; the node can no longer be differentiated. */
  spend(): void {
    this.#spent = true;
    for (const t of this.#saved) t.dispose();
    this.#saved = [];
  }

  /** Drops one reference; at zero frees saved tensors and releases the inputs' nodes. */
  release(): void {
    if (--this.#refs > 0) return;
    this.spend();
    for (const e of this.edges) if (e && "node" in e) e.node.release();
  }
}
