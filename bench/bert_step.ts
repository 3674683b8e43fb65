/**
 * The benchmarked BERT training step on jointag: BertModel + two token-classification heads
 * (shared dropout 0.3 → Linear; NER 17 and POS 42 labels), loss = mean of the two masked
 * cross-entropies, backward, AdamW (decoupled decay, no decay on biases and LayerNorm weights).
 * The same model, inputs and step are implemented in bench/tfjs/bert_step_tfjs.ts and
 * tools/bench_torch.py, so their times compare one to one.
 * @module
 */
import {
  AdamW,
  add,
  type Backend,
  BertConfig,
  BertModel,
  bertNoDecay,
  crossEntropy,
  Dropout,
  Linear,
  mulScalar,
  noGrad,
  Random,
  setBackend,
  setSeed,
  type Tensor,
  tensor,
  tidy,
} from "../mod.ts";
import { type BenchInputs, makeInputs, type ModelShape } from "./bench_inputs.ts";

/** Timings of one configuration's warm steps. */
export interface StepTimes {
  /** Milliseconds of each timed (warm) step. */
  stepsMs: number[];
  /** Milliseconds of the first (cold: pipelines, allocation) step. */
  firstStepMs: number;
  /** Loss of each step, first included (it must fall or at least stay finite). */
  losses: number[];
}

/** A built model, heads and optimizer on one backend, ready to step. */
export interface JointagStep {
  /** Runs one step and waits for it to finish; returns the loss. */
  step(): Promise<number>;
  /** Forward pass only (evaluation mode, no graph); returns the loss. */
  forward(): Promise<number>;
  /** Forward and backward, no optimizer update; returns the loss. */
  forwardBackward(): Promise<number>;
  /** Number of trainable parameters. */
  parameters: number;
  /** Frees everything. */
  dispose(): void;
}

/** Builds the model of `shape` on `backend` with seeded weights and the fixed bench inputs. */
export function buildJointagStep(
  backend: Backend,
  shape: ModelShape,
  inputs: BenchInputs = makeInputs(),
): JointagStep {
  setBackend(backend);
  // Weights from their own generator, dropout masks from the library-wide one: seed both so every
  // backend trains the same model on the same masks (the losses in the JSON then agree).
  setSeed(4321);
  const random = new Random(1234);
  const config = new BertConfig({
    vocabSize: shape.vocab,
    hiddenSize: shape.hidden,
    numHiddenLayers: shape.layers,
    numAttentionHeads: shape.heads,
    intermediateSize: shape.intermediate,
  });
  const bert = new BertModel(config, { backend, random });
  const ner = new Linear(shape.hidden, inputs.nerLabels, { backend, random });
  const pos = new Linear(shape.hidden, inputs.posLabels, { backend, random });
  const drop = new Dropout(0.3);
  const named: [string, Tensor][] = [
    ...bert.namedParameters("bert."),
    ...ner.namedParameters("ner."),
    ...pos.namedParameters("pos."),
  ];
  const opt = new AdamW(named, { lr: 5e-5, weightDecay: 0.01, noDecay: bertNoDecay });
  const { batch, seq } = inputs;
  const ids = tensor(inputs.ids, [batch, seq], { backend }).keep();
  const mask = tensor(inputs.mask, [batch, seq], { backend }).keep();
  const nerY = tensor(inputs.ner, [batch, seq], { backend }).keep();
  const posY = tensor(inputs.pos, [batch, seq], { backend }).keep();
  const parameters = named.reduce((n, [, p]) => n + p.size, 0);
  const lossOf = () => {
    const h = drop.forward(bert.forward({ inputIds: ids, attentionMask: mask }));
    return mulScalar(
      add(crossEntropy(ner.forward(h), nerY), crossEntropy(pos.forward(h), posY)),
      0.5,
    );
  };
  const read = async (loss: Tensor) => {
    const v = await loss.item();
    loss.dispose();
    return v;
  };
  const zeroGrads = () => {
    bert.zeroGrad();
    ner.zeroGrad();
    pos.zeroGrad();
  };
  return {
    parameters,
    step: () =>
      read(tidy(() => {
        const l = lossOf();
        l.backward();
        opt.step();
        zeroGrads();
        return l;
      })),
    forward: async () => {
      for (const m of [bert, drop]) m.eval();
      try {
        return await read(noGrad(() => tidy(lossOf)));
      } finally {
        for (const m of [bert, drop]) m.train();
      }
    },
    forwardBackward: () =>
      read(tidy(() => {
        const l = lossOf();
        l.backward();
        zeroGrads();
        return l;
      })),
    dispose(): void {
      opt.dispose();
      bert.dispose();
      ner.dispose();
      pos.dispose();
      for (const t of [ids, mask, nerY, posY]) t.dispose();
    },
  };
}
