/**
 * `compare` end to end on a tiny generated corpus (CPU): the report and plots are written, a rerun
 * skips every finished job, and two `--job K/2` shares merged give the same jobs as one run.
 */
import assert from "node:assert/strict";

const MAIN = new URL("../../../cli/main.ts", import.meta.url).pathname;
const SMALL = ["--device", "cpu", "--demo-sentences", "120", "--epochs", "1", "--seeds", "2"];

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "compare", ...SMALL, "--resamples", "200", ...args],
    stdout: "piped",
    stderr: "piped",
    // One BLAS thread: multi-threaded sgemm may sum in another order from run to run.
    env: { JOINTAG_THREADS: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("compare: report, skip on rerun, K/N shares and merge", async () => {
  const dir = await Deno.makeTempDir();
  const first = await cli("--out", `${dir}/all`);
  assert.equal(first.code, 0, first.stderr);
  for (const f of ["report.md", "report.json", "dev_f1_f1.svg", "per_type_f1_f1.svg"]) {
    assert.ok((await Deno.stat(`${dir}/all/${f}`)).size > 0, f);
  }
  const report = JSON.parse(await Deno.readTextFile(`${dir}/all/report.json`));
  assert.equal(report.jobs, 4);
  assert.deepEqual(report.arms.map((a: { arm: string }) => a.arm).sort(), ["ner", "ner+pos"]);
  assert.match(first.stdout, /fraction 1: .*(No significant difference|significantly)/);

  const again = await cli("--out", `${dir}/all`);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout.match(/finished earlier, skipped/g)?.length, 4);

  for (const part of ["1/2", "2/2"]) {
    const r = await cli("--out", `${dir}/split`, "--job", part);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /this share is done/);
  }
  const merged = await cli("--out", `${dir}/split`, "--merge");
  assert.equal(merged.code, 0, merged.stderr);
  const a = JSON.parse(await Deno.readTextFile(`${dir}/all/report.json`));
  const b = JSON.parse(await Deno.readTextFile(`${dir}/split/report.json`));
  // Same seeds, same data, same single-threaded arithmetic: the shares reproduce the single run.
  assert.deepEqual(
    b.arms.map((x: { f1: { values: number[] } }) => x.f1.values),
    a.arms.map((x: { f1: { values: number[] } }) => x.f1.values),
  );
  await Deno.remove(dir, { recursive: true });
});
