/**
 * Training: options, the resumable training loop with its typed events, checkpoints, the output
 * folder, the training pipeline (set-up, epochs, evaluation, save) and the terminal progress bar.
 * @module
 */
export {
  decodeTrainingCheckpoint,
  encodeTrainingCheckpoint,
  type EpochRecord,
  loadTrainingCheckpoint,
  type ResolvedTrainOptions,
  saveTrainingCheckpoint,
  type TrainingCheckpoint,
  type TrainingState,
} from "./checkpoint_state.ts";
export {
  OUTPUT_FILES,
  recoverOutput,
  resolveTrainOptions,
  type TrainControl,
  type TrainInput,
  type TrainOptions,
  type TrainResult,
  trainTagger,
} from "./trainer.ts";
export { CheckpointStateError, NonFiniteLossError } from "./errors.ts";
export { evaluationProgress, fmtTime, ProgressBar, type ProgressOptions } from "./progress.ts";
