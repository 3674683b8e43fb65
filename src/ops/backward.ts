/**
 * The reverse-mode driver: `backward(loss)` walks the graph recorded by `withGrad` in reverse
 * topological order, runs each node's gradient rule (inside a `tidy`, so the rule's temporaries
 * are freed at once), sums gradients that meet, accumulates into leaves' `.grad`, and then frees
 * the graph's saved tensors. Registers itself as the driver behind `Tensor.backward()`.
 * @module
 */
import { keep, noGrad, tidy } from "../core/engine.ts";
import { AutogradError, fmtShape } from "../core/errors.ts";
import type { Edge, GraphNode } from "../core/graph_node.ts";
import { sameShape } from "../core/shape.ts";
import { registerBackward, type Tensor } from "../core/tensor.ts";
import { add } from "./binary.ts";
import { onesLike } from "./creation.ts";

/** Runs reverse mode from `root` (seeded with `grad`, default ones for a scalar). */
export function backward(root: Tensor, grad?: Tensor): void {
  checkRoot(root, grad);
  noGrad(() => {
    const seed = grad ? grad.view(grad.shape, false) : onesLike(root).keep();
    if (!root.node) {
      accumulate(root, seed);
      return;
    }
    const order = topoOrder(root.node);
    // Each node's gradient so far, summed over the consumers already run; gone once it has run.
    const grads = new Map<GraphNode, Tensor>([[root.node, seed]]);
    for (const node of order) {
      const dy = grads.get(node);
      grads.delete(node);
      if (dy) backwardNode(node, dy, grads);
    }
  });
}

/** Throws unless `root` has a graph to walk and a gradient to seed it with. */
function checkRoot(root: Tensor, grad: Tensor | undefined): void {
  if (!root.requiresGrad) {
    throw new AutogradError(
      `backward(): tensor ${
        fmtShape(root.shape)
      } does not require grad (no parameter contributed to it, or it was made under noGrad)`,
    );
  }
  if (!grad && root.size !== 1) {
    throw new AutogradError(
      `backward(): tensor ${fmtShape(root.shape)} is not a scalar; pass the output gradient`,
    );
  }
}

/**
 * Runs `node`'s gradient rule on its output gradient `dy` (taking ownership of it), hands each
 * input's gradient on, and frees the node's saved tensors.
 */
function backwardNode(node: GraphNode, dy: Tensor, grads: Map<GraphNode, Tensor>): void {
  if (node.spent) {
    dy.dispose();
    throw new AutogradError(
      `backward(): the graph through op '${node.op}' was already freed by an earlier backward() (build it again)`,
    );
  }
  const needs = node.edges.map((e) => e !== null);
  const inGrads = tidy(() => node.gradFn(dy, node.saved, needs));
  dy.dispose();
  node.edges.forEach((edge, i) => {
    const g = inGrads[i];
    if (g) routeGrad(node, i, edge, g, grads);
  });
  node.spend();
}

/**
 * Hands the gradient `g` of input `i` of `node` on along `edge`: into a leaf's `.grad`, into the
 * producing node's pending gradient, or (a constant input) nowhere.
 */
function routeGrad(
  node: GraphNode,
  i: number,
  edge: Edge,
  g: Tensor,
  grads: Map<GraphNode, Tensor>,
): void {
  keep(g);
  if (!edge) {
    g.dispose();
    return;
  }
  const target = "leaf" in edge ? edge.leaf.shape : edge.node.shape;
  if (!sameShape(g.shape, target)) {
    throw new AutogradError(
      `backward(): op '${node.op}' gave a gradient of shape ${
        fmtShape(g.shape)
      } for input ${i} of shape ${fmtShape(target)}`,
    );
  }
  if ("leaf" in edge) {
    accumulate(edge.leaf, g);
    return;
  }
  const prev = grads.get(edge.node);
  grads.set(edge.node, prev ? sumOwned(prev, g) : g);
}

/** Adds `g` into `leaf.grad` (taking ownership of `g`). */
function accumulate(leaf: Tensor, g: Tensor): void {
  if (leaf.grad) {
    leaf.grad = sumOwned(leaf.grad, g);
  } else {
    // A gradient that is a view of another tensor's buffer would alias it; grads own their data.
    leaf.grad = g;
  }
}

/** `a + g`, kept; frees `a` and `g` (gradients that meet are summed into a new tensor). */
function sumOwned(a: Tensor, g: Tensor): Tensor {
  const s = add(a, g);
  keep(s);
  a.dispose();
  g.dispose();
  return s;
}

/** Nodes reachable from `root`, each after every node that consumes it (iterative DFS). */
function topoOrder(root: GraphNode): GraphNode[] {
  const visited = new Set<GraphNode>();
  const post: GraphNode[] = [];
  const stack: [GraphNode, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [node, i] = top;
    if (i < node.edges.length) {
      top[1]++;
      const e = node.edges[i];
      if (e && "node" in e && !visited.has(e.node)) {
        visited.add(e.node);
        stack.push([e.node, 0]);
      }
    } else {
      stack.pop();
      post.push(node);
    }
  }
  return post.reverse();
}

registerBackward(backward);
