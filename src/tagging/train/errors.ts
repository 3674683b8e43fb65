/**
 * Errors of the training loop and its checkpoints.
 * @module
 */

/** Training stopped because the loss became NaN or infinite. */
export class NonFiniteLossError extends Error {
  /**
   * Creates the error; the message suggests a lower learning rate.
   * @param step the global step whose loss was not finite
   * @param value the loss (NaN or ±Infinity)
   * @param checkpoint where the last good checkpoint is
   */
  constructor(readonly step: number, readonly value: number, readonly checkpoint: string) {
    super(
      `loss became ${value} at step ${step}; training stopped. The last good checkpoint is kept in ${checkpoint} (try a lower --lr)`,
    );
    this.name = "NonFiniteLossError";
  }
}

/** A training checkpoint that cannot be used (corrupt, or for other data/settings). */
export class CheckpointStateError extends Error {
  /**
   * Creates the error; the message reads `source: detail`.
   * @param source the checkpoint file
   * @param detail what is wrong or does not match the current run
   */
  constructor(readonly source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.name = "CheckpointStateError";
  }
}
