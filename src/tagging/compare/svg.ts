/**
 * Two small SVG charts for the comparison report, written directly (no plotting dependency, no
 * browser needed): learning curves with a min–max band, and grouped bars with error whiskers.
 * @module
 */

/** One line of a line chart: y per x step and an optional band. */
export interface Series {
  label: string;
  y: number[];
  low?: number[];
  high?: number[];
}

/** One group of a bar chart. */
export interface BarGroup {
  label: string;
  /** One value (and error) per series, in series order. */
  values: { value: number; error?: number }[];
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"];
const W = 640;
const H = 360;
const M = { left: 56, right: 150, top: 36, bottom: 48 };

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function frame(title: string, xLabel: string, yLabel: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>
<text x="${(M.left + W - M.right) / 2}" y="${H - 10}" text-anchor="middle">${esc(xLabel)}</text>
<text x="14" y="${(M.top + H - M.bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${
    (M.top + H - M.bottom) / 2
  })">${esc(yLabel)}</text>
${body}
</svg>
`;
}

function yAxis(lo: number, hi: number, y: (v: number) => number): string {
  const parts: string[] = [];
  for (let i = 0; i <= 5; i++) {
    const v = lo + (hi - lo) * i / 5;
    parts.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>` +
        `<text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`,
    );
  }
  return parts.join("\n");
}

function legend(labels: string[]): string {
  return labels.map((l, i) =>
    `<rect x="${W - M.right + 12}" y="${M.top + i * 18}" width="12" height="12" fill="${
      PALETTE[i % PALETTE.length]
    }"/>` +
    `<text x="${W - M.right + 30}" y="${M.top + i * 18 + 10}">${esc(l)}</text>`
  ).join("\n");
}

function range(values: number[], fromZero = true): [number, number] {
  const finite = values.filter(Number.isFinite);
  let lo = fromZero ? Math.min(0, ...finite) : Math.min(...finite);
  let hi = Math.max(...finite, 1e-9);
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  return [lo, hi + (hi - lo) * 0.05];
}

/**
 * A line chart over x = 1..n (epochs, or updates) with optional min–max bands; `xTicks` labels the
 * x positions instead of their numbers (training-set sizes, say).
 */
export function lineChart(
  title: string,
  xLabel: string,
  yLabel: string,
  series: Series[],
  xTicks?: readonly string[],
): string {
  const n = Math.max(1, ...series.map((s) => s.y.length));
  // Learning curves differ by little near the top: zoom to the data instead of starting at 0.
  const [lo0, hi] = range(
    series.flatMap((s) => [...s.y, ...(s.low ?? []), ...(s.high ?? [])]),
    false,
  );
  const lo = Math.max(0, lo0 - (hi - lo0) * 0.05);
  const x = (i: number) => M.left + (n === 1 ? 0.5 : i / (n - 1)) * (W - M.left - M.right);
  const y = (v: number) => M.top + (1 - (v - lo) / (hi - lo)) * (H - M.top - M.bottom);
  const body = [yAxis(lo, hi, y)];
  // Ten labels at most and no markers on long series (a loss per update has hundreds of points).
  const every = Math.ceil(n / 10);
  for (let i = 0; i < n; i += every) {
    const tick = esc(xTicks?.[i] ?? String(i + 1));
    body.push(`<text x="${x(i)}" y="${H - M.bottom + 16}" text-anchor="middle">${tick}</text>`);
  }
  series.forEach((s, k) => {
    const c = PALETTE[k % PALETTE.length];
    if (s.low && s.high) {
      const top = s.high.map((v, i) => `${x(i)},${y(v)}`);
      const bottom = s.low.map((v, i) => `${x(i)},${y(v)}`).reverse();
      body.push(
        `<polygon points="${[...top, ...bottom].join(" ")}" fill="${c}" fill-opacity="0.15"/>`,
      );
    }
    body.push(
      `<polyline points="${
        s.y.map((v, i) => `${x(i)},${y(v)}`).join(" ")
      }" fill="none" stroke="${c}" stroke-width="2"/>`,
    );
    if (n <= 40) {
      for (const [i, v] of s.y.entries()) {
        body.push(`<circle cx="${x(i)}" cy="${y(v)}" r="3" fill="${c}"/>`);
      }
    }
  });
  body.push(legend(series.map((s) => s.label)));
  return frame(title, xLabel, yLabel, body.join("\n"));
}

/** Grouped bars (one group per category, one bar per series) with ± error whiskers. */
export function barChart(
  title: string,
  yLabel: string,
  seriesLabels: string[],
  groups: BarGroup[],
): string {
  const [lo, hi] = range(groups.flatMap((g) => g.values.map((v) => v.value + (v.error ?? 0))));
  const y = (v: number) => M.top + (1 - (v - lo) / (hi - lo)) * (H - M.top - M.bottom);
  const gw = (W - M.left - M.right) / Math.max(groups.length, 1);
  const bw = (gw * 0.8) / Math.max(seriesLabels.length, 1);
  const body = [yAxis(lo, hi, y)];
  groups.forEach((g, gi) => {
    const x0 = M.left + gi * gw + gw * 0.1;
    body.push(
      `<text x="${x0 + gw * 0.4}" y="${H - M.bottom + 16}" text-anchor="middle">${
        esc(g.label)
      }</text>`,
    );
    g.values.forEach((v, si) => {
      const c = PALETTE[si % PALETTE.length];
      const x = x0 + si * bw;
      const top = y(Math.max(v.value, lo));
      body.push(
        `<rect x="${x}" y="${top}" width="${bw * 0.9}" height="${y(lo) - top}" fill="${c}"/>`,
      );
      if (v.error) {
        const cx = x + bw * 0.45;
        body.push(
          `<line x1="${cx}" x2="${cx}" y1="${y(v.value - v.error)}" y2="${
            y(v.value + v.error)
          }" stroke="black"/>`,
        );
      }
    });
  });
  body.push(legend(seriesLabels));
  return frame(title, "", yLabel, body.join("\n"));
}
