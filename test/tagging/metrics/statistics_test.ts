import assert from "node:assert/strict";
import { assertClose } from "../../helpers/close.ts";
import {
  incompleteBeta,
  logGamma,
  mean,
  pairedTInterval,
  sampleStd,
  studentTCdf,
  studentTQuantile,
  TaggingArgumentError,
} from "../../../tagging.ts";

interface Ref {
  t_quantile: { p: number; df: number; t: number }[];
  t_cdf: { t: number; df: number; cdf: number }[];
  betainc: { a: number; b: number; x: number; value: number }[];
  paired_t_95: { a: number[]; b: number[]; mean: number; sd: number; low: number; high: number }[];
}
const ref = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/tagging/stats_reference.json", import.meta.url)),
) as Ref;

Deno.test("mean and sample std on a worked example", () => {
  assert.equal(mean([2, 4, 4, 4, 5, 5, 7, 9]), 5);
  assertClose(sampleStd([2, 4, 4, 4, 5, 5, 7, 9]), Math.sqrt(32 / 7), 1e-15);
  assert.equal(Number.isNaN(mean([])), true);
  assert.equal(Number.isNaN(sampleStd([1])), true);
});

Deno.test("logGamma at integers and 1/2", () => {
  assertClose(logGamma(1), 0, 1e-14);
  assertClose(logGamma(5), Math.log(24), 1e-13);
  assertClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
  assertClose(logGamma(101), 363.73937555556347, 1e-10);
});

Deno.test("incomplete beta and Student-t CDF match scipy", () => {
  for (const r of ref.betainc) {
    assertClose(incompleteBeta(r.x, r.a, r.b), r.value, 1e-12, `I(${r.x}; ${r.a}, ${r.b})`);
  }
  for (const r of ref.t_cdf) {
    assertClose(studentTCdf(r.t, r.df), r.cdf, 1e-12, `cdf(${r.t}, ${r.df})`);
  }
});

Deno.test("Student-t quantiles match scipy.stats.t.ppf", () => {
  for (const r of ref.t_quantile) {
    assertClose(
      studentTQuantile(r.p, r.df),
      r.t,
      1e-9 * Math.max(1, Math.abs(r.t)),
      `ppf(${r.p}, ${r.df})`,
    );
  }
  assert.throws(() => studentTQuantile(1, 3), TaggingArgumentError);
  assert.throws(() => studentTQuantile(0.5, 0), TaggingArgumentError);
});

Deno.test("paired 95% t-interval matches scipy.stats.t.interval", () => {
  for (const r of ref.paired_t_95) {
    const iv = pairedTInterval(r.a, r.b);
    assert.deepEqual([iv.n, iv.df, iv.confidence], [r.a.length, r.a.length - 1, 0.95]);
    assertClose(iv.meanDiff, r.mean, 1e-14);
    assertClose(iv.sdDiff, r.sd, 1e-14);
    assertClose(iv.low, r.low, 1e-10, `low n=${r.a.length}`);
    assertClose(iv.high, r.high, 1e-10, `high n=${r.a.length}`);
  }
  assert.throws(() => pairedTInterval([1], [2]), TaggingArgumentError);
  assert.throws(() => pairedTInterval([1, 2], [2]), TaggingArgumentError);
});
