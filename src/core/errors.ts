/**
 * Error classes of the tensor core. Messages name the op and the shapes involved so a failure in a
 * training loop points at the line that built the bad tensor, not at a kernel.
 * @module
 */

/** A tensor operation was called with inputs it cannot accept (shapes, dtypes, ranges). */
export class ShapeError extends Error {
  /**
   * Creates the error; the message reads `op: message`.
   * @param op the op that rejected its inputs (prefixes the message)
   * @param message what is wrong, with the shapes involved
   */
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = "ShapeError";
  }
}

/** An input has the wrong dtype for an op. */
export class DTypeError extends Error {
  /**
   * Creates the error; the message reads `op: message`.
   * @param op the op that rejected its inputs (prefixes the message)
   * @param message which input has which dtype, and what was expected
   */
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = "DTypeError";
  }
}

/** A tensor was used after `dispose()`. */
export class DisposedError extends Error {
  /**
   * Creates the error for a use of a disposed tensor.
   * @param what the tensor that was used, e.g. `tensor #12 [2, 3]`
   */
  constructor(what: string) {
    super(`${what}: tensor was already disposed`);
    this.name = "DisposedError";
  }
}

/** Reverse mode was asked for something it cannot do (no graph, graph already freed, ...). */
export class AutogradError extends Error {
  /**
   * Creates the error.
   * @param message what was asked of the graph and why it cannot be done
   */
  constructor(message: string) {
    super(message);
    this.name = "AutogradError";
  }
}

/** A backend (device) failed: validation error, out of memory, device lost. */
export class BackendError extends Error {
  /**
   * Creates the error; the message names the backend and the op before the device's own.
   * @param backend the backend's name (`cpu`, `webgpu`)
   * @param op the op that was running when the device failed
   * @param message the device's error
   */
  constructor(backend: string, op: string, message: string) {
    super(`${backend} backend, op ${op}: ${message}`);
    this.name = "BackendError";
  }
}

/** Formats a shape for messages: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
