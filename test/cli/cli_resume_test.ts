/**
 * `train` and a run already in `--out`: refused without `--resume` or `--overwrite`; `--resume` of a
 * finished run says so and changes no file; changed settings are refused by name (no file
 * changed); a larger `--epochs` extends the run on purpose, the log holding every step once;
 * `--overwrite` starts over.
 */
import assert from "node:assert/strict";
import { cli } from "../helpers/cli.ts";

/** Every file under `dir`, path → bytes as a string of numbers (to compare whole folders). */
function snapshot(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) Object.assign(out, snapshot(p, `${prefix}${e.name}/`));
    else out[prefix + e.name] = Deno.readFileSync(p).join(",");
  }
  return out;
}

function logOf(out: string): { type: string; step: number; epoch: number }[] {
  return Deno.readTextFileSync(`${out}/train_log.jsonl`).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
}

Deno.test("cli: a run in --out is resumed, extended, refused or overwritten on purpose", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/run`;
  const base = ["train", "--device", "cpu", "--demo-sentences", "200", "--out", out];
  const first = await cli(...base, "--epochs", "1");
  assert.equal(first.code, 0, first.stderr);

  const again = await cli(...base, "--epochs", "1");
  assert.equal(again.code, 2);
  assert.match(
    again.stderr,
    /--out .*run already holds a run \(model, checkpoint, .*--resume .*--overwrite/,
  );

  const before = snapshot(out);
  const done = await cli(...base, "--resume");
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /already finished its 1 epochs.*nothing changed/);
  assert.deepEqual(snapshot(out), before, "a finished run is left as it is");

  const changed = await cli(...base, "--resume", "--lr", "0.5", "--batch-size", "8");
  assert.equal(changed.code, 2);
  assert.match(changed.stderr, /--batch-size 8 \(the run: 32\), --lr 0\.5 \(the run: 0\.001\)/);
  assert.deepEqual(snapshot(out), before, "a refused resume changes nothing");

  const longer = await cli(...base, "--resume", "--epochs", "2");
  assert.equal(longer.code, 0, longer.stderr);
  assert.match(longer.stdout, /extending the run from 1 epochs/);
  const metrics = JSON.parse(Deno.readTextFileSync(`${out}/metrics.json`));
  assert.equal(metrics.history.length, 2);
  const log = logOf(out);
  const steps = log.filter((e) => e.type === "step").map((e) => e.step);
  assert.deepEqual(steps, steps.map((_, i) => i + 1), "every step once, in order");
  assert.deepEqual(log.filter((e) => e.type === "eval").map((e) => e.epoch), [1, 2]);

  const over = await cli(...base, "--epochs", "1", "--overwrite");
  assert.equal(over.code, 0, over.stderr);
  assert.equal(logOf(out).filter((e) => e.type === "eval").length, 1);
  const both = await cli(...base, "--resume", "--overwrite");
  assert.equal(both.code, 2);
  await Deno.remove(dir, { recursive: true });
});
