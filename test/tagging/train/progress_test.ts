/**
 * Progress output: a bar redrawn in place on a terminal, plain lines at an interval elsewhere, with
 * sentences/s, tokens/s, loss and ETA computed from a fake clock.
 */
import assert from "node:assert/strict";
import { fmtTime, ProgressBar } from "../../../src/tagging/train/progress.ts";

Deno.test("progress bar on a TTY and as plain lines", () => {
  let now = 0;
  const tty: string[] = [];
  const bar = new ProgressBar(4, {
    write: (s) => tty.push(s),
    tty: true,
    now: () => now,
    width: 8,
  });
  now = 2000;
  bar.update(1, { sentences: 10, tokens: 100, loss: 1.5, epoch: 0 });
  assert.equal(
    tty[0],
    "\r[##------] epoch 1 step 1/4 | 5.0 sent/s 50 tok/s | loss 1.5000 | ETA 0:06\x1b[K",
  );
  now = 4000;
  bar.update(2, { sentences: 10, tokens: 100, loss: NaN, epoch: 0 });
  assert.match(tty[1], /step 2\/4 .* loss NaN \| ETA 0:04/);
  bar.break();
  assert.equal(tty[2], "\n");

  const plain: string[] = [];
  now = 0;
  const p = new ProgressBar(100, {
    write: (s) => plain.push(s),
    tty: false,
    now: () => now,
    plainInterval: 5,
  });
  for (let step = 1; step <= 100; step++) {
    now = step * 100; // 0.1 s per step: a line every 5 s, plus the last step
    p.update(step, { sentences: 1, tokens: 12, loss: 0.5, epoch: 0 });
  }
  assert.equal(plain.length, 3);
  assert.ok(plain.every((l) => l.endsWith("\n") && !l.includes("\r")));
  assert.match(plain[2], /step 100\/100 \| 10\.0 sent\/s 120 tok\/s/);
  assert.deepEqual(p.rates(), { sentencesPerSecond: 10, tokensPerSecond: 120, seconds: 10 });
  assert.equal(fmtTime(3725), "1:02:05");
});
