/**
 * Errors of the training loop and its checkpoints.
 * @module
 */

/** Training stopped because the loss became NaN or infinite. */
export class NonFiniteLossError extends Error {
  constructor(readonly step: number, readonly value: number, readonly checkpoint: string) {
    super(
      `loss became ${value} at step ${step}; training stopped. The last good checkpoint is kept in ${checkpoint} (try a lower --lr)`,
    );
    this.name = "NonFiniteLossError";
  }
}

/** A training checkpoint that cannot be used (corrupt, or for other data/settings). */
export class CheckpointStateError extends Error {
  constructor(readonly source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.name = "CheckpointStateError";
  }
}
