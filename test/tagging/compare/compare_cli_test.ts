/**
 * `compare` end to end on a tiny generated corpus (CPU): the report and plots are written, a rerun
 * skips every finished job, and two `--job K/2` shares merged give the same jobs as one run.
 */
import assert from "node:assert/strict";
import { shareFromEnv } from "../../../src/tagging/compare/grid.ts";

const MAIN = new URL("../../../cli/main.ts", import.meta.url).pathname;
const SMALL = ["--device", "cpu", "--demo-sentences", "120", "--epochs", "1", "--seeds", "2"];

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return await cliEnv({}, ...args);
}

async function cliEnv(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "compare", ...SMALL, "--resamples", "200", ...args],
    stdout: "piped",
    stderr: "piped",
    // One BLAS thread: multi-threaded sgemm may sum in another order from run to run.
    env: { JOINTAG_THREADS: "1", ...env },
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

Deno.test("compare: shares from SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX", async () => {
  const env = (m: Record<string, string>) => (k: string) => m[k];
  const slurm = {
    SLURM_ARRAY_TASK_ID: "3",
    SLURM_ARRAY_TASK_MIN: "1",
    SLURM_ARRAY_TASK_COUNT: "4",
  };
  assert.deepEqual(shareFromEnv(env(slurm)), { part: "3/4", from: "SLURM_ARRAY_TASK_ID" });
  assert.equal(shareFromEnv(env({ JOB_COMPLETION_INDEX: "0" }), 3)?.part, "1/3");
  assert.equal(shareFromEnv(env({})), undefined);
  assert.throws(() => shareFromEnv(env({ JOB_COMPLETION_INDEX: "0" })), /give --jobs N/);
  assert.throws(() => shareFromEnv(env({ JOB_COMPLETION_INDEX: "5" }), 2), /outside 1…2/);

  // One share as a Slurm array task, the other as a Kubernetes Indexed Job pod, then --merge.
  const dir = await Deno.makeTempDir();
  const a = await cliEnv(
    { SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_COUNT: "2" },
    "--out",
    dir,
  );
  assert.equal(a.code, 0, a.stderr);
  assert.match(
    a.stdout,
    /share 1\/2 from SLURM_ARRAY_TASK_ID[^]*2 for this process[^]*share is done/,
  );
  const b = await cliEnv({ JOB_COMPLETION_INDEX: "1" }, "--out", dir, "--jobs", "2");
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /share 2\/2 from JOB_COMPLETION_INDEX/);
  assert.doesNotMatch(b.stdout, /finished earlier/);
  const merged = await cli("--out", dir, "--merge");
  assert.equal(merged.code, 0, merged.stderr);
  assert.equal(JSON.parse(await Deno.readTextFile(`${dir}/report.json`)).jobs, 4);
  await Deno.remove(dir, { recursive: true });
});
