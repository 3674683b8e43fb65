#!/usr/bin/env python3
"""Writes test/fixtures/tagging/stats_reference.json: Student-t quantiles / CDF values and paired
95% t-intervals computed by scipy, to test src/tagging/metrics/statistics.ts against.

Run from the repository root with the dev venv:
    /root/.cache/jointag-py/bin/python tools/stats_fixture.py
"""
import json
import random

import numpy as np
import scipy
from scipy import stats

OUT = "test/fixtures/tagging/stats_reference.json"


def main():
    quantiles = []
    for df in [1, 2, 3, 4, 5, 7, 9, 10, 19, 29, 30, 99, 1000, 0.5, 2.5]:
        for p in [0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.999, 0.025, 0.001]:
            quantiles.append({"p": p, "df": df, "t": float(stats.t.ppf(p, df))})
    cdf = []
    for df in [1, 3, 8, 40]:
        for t in [-6.0, -2.1, -0.3, 0.0, 0.7, 1.96, 4.5]:
            cdf.append({"t": t, "df": df, "cdf": float(stats.t.cdf(t, df))})
    beta = []
    for a, b, x in [(0.5, 0.5, 0.3), (2.0, 3.0, 0.4), (10.0, 0.5, 0.9), (0.5, 15.0, 0.01),
                    (50.0, 60.0, 0.45)]:
        beta.append({"a": a, "b": b, "x": x, "value": float(scipy.special.betainc(a, b, x))})
    rng = random.Random(7)
    intervals = []
    for n in [2, 3, 5, 10, 25]:
        a = [0.9 + rng.gauss(0, 0.01) for _ in range(n)]
        b = [x - 0.004 + rng.gauss(0, 0.006) for x in a]
        d = np.array(a) - np.array(b)
        m = float(d.mean())
        sd = float(d.std(ddof=1))
        lo, hi = stats.t.interval(0.95, n - 1, loc=m, scale=sd / np.sqrt(n))
        intervals.append({"a": a, "b": b, "mean": m, "sd": sd, "low": float(lo), "high": float(hi)})
    doc = {"generator": "tools/stats_fixture.py", "scipy_version": scipy.__version__,
           "t_quantile": quantiles, "t_cdf": cdf, "betainc": beta, "paired_t_95": intervals}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
