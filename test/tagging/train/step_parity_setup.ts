/**
 * The setting of the step-parity test (test/tagging/train/step_parity_test.ts) and of its fixture
 * generator (tools/step_parity_fixture.py → tools/step_parity_dump.ts): the tiny tagger of
 * test/tagging/tagger_fixture.ts with every dropout off, trained for a few updates.
 * @module
 */
import type { TrainOptions } from "../../../src/tagging/train/mod.ts";

/** What both sides of the step-parity check use. */
export const STEP_PARITY = {
  /** Demo-corpus sentences of `tinySetup` (80% train). */
  sentences: 200,
  /** Seed of the initial weights. */
  initSeed: 7,
  /** Updates compared. */
  updates: 20,
  /** The initial tagger folder (written by the generator, loaded by the test). */
  initDir: "test/fixtures/tagging/step_parity_init",
  /** The reference's per-update log and the batches it replayed. */
  fixture: "test/fixtures/tagging/step_parity.json",
  /** 10 updates per epoch, 30 in all (3 of warmup): the 20 cross an epoch end and its dev pass. */
  options: {
    epochs: 3,
    batchSize: 16,
    lr: 1e-3,
    weightDecay: 0.01,
    warmupFraction: 0.1,
    clipNorm: 1,
    seed: 3,
  } satisfies TrainOptions,
} as const;
