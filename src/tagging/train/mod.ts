/**
 * Training: options, the resumable training loop with its typed events, checkpoints, the output
 * folder, the training pipeline (set-up, epochs, evaluation, save) and the terminal progress bar.
 * @module
 */
export * from "./charts.ts";
export * from "./checkpoint_state.ts";
export * from "./errors.ts";
export * from "./options.ts";
export * from "./output.ts";
export * from "./pipeline.ts";
export * from "./progress.ts";
export * from "./trainer.ts";
