/**
 * Yielding to the event loop between training steps, so a page can repaint and take input while
 * a backend that never waits (the CPU) trains.
 * @module
 */

/**
 * Resolves in a new task of the event loop: a message on a fresh MessageChannel, not
 * `setTimeout(0)`. Browsers (and Deno) clamp timers nested five deep to 4 ms, and a training loop
 * that waits for a timer after every step nests them without end: 4 ms lost per step, 15-25% of a
 * step of the demo model on the CPU. A message is delivered as soon as the loop is free, and the
 * browser still renders between tasks when a frame is due.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
