/**
 * The reverse-mode driver: `backward(loss)` walks the graph recorded by `withGrad` in reverse
 * topological order, runs each node's gradient rule (inside a `tidy`, so the rule's temporaries
 * are freed at once), sums gradients that meet, accumulates into leaves' `.grad`, and then frees
 * the graph's saved tensors. Registers itself as the driver behind `Tensor.backward()`.
 * @module
 */
import { keep, noGrad, tidy } from "../core/engine.ts";
import { AutogradError, fmtShape } from "../core/errors.ts";
import type { GraphNode } from "../core/graph_node.ts";
import { sameShape } from "../core/shape.ts";
import { registerBackward, type Tensor } from "../core/tensor.ts";
import { add } from "./binary.ts";
import { onesLike } from "./creation.ts";

/** Runs reverse mode from `root` (seeded with `grad`, default ones for a scalar). */
export function backward(root: Tensor, grad?: Tensor): void {
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
  noGrad(() => {
    const seed = grad ? grad.view(grad.shape, false) : onesLike(root).keep();
    if (!root.node) {
      accumulate(root, seed);
      return;
    }
    const order = topoOrder(root.node);
    const grads = new Map<GraphNode, Tensor>([[root.node, seed]]);
    for (const node of order) {
      const dy = grads.get(node);
      grads.delete(node);
      if (!dy) continue;
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
        if (!g) return;
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
        } else {
          const prev = grads.get(edge.node);
          if (prev) {
            const s = add(prev, g);
            keep(s);
            prev.dispose();
            g.dispose();
            grads.set(edge.node, s);
          } else {
            grads.set(edge.node, g);
          }
        }
      });
      node.spend();
    }
  });
}

/** Adds `g` into `leaf.grad` (taking ownership of `g`). */
function accumulate(leaf: Tensor, g: Tensor): void {
  if (leaf.grad) {
    const s = add(leaf.grad, g);
    keep(s);
    leaf.grad.dispose();
    g.dispose();
    leaf.grad = s;
  } else {
    // A gradient that is a view of another tensor's buffer would alias it; grads own their data.
    leaf.grad = g;
  }
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
