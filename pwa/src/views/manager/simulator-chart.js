// One figure of a simulation per policy as hand-written inline SVG: a bar at the mean, a whisker
// from the lowest to the highest seed. The table above carries the same numbers in text.
import { html } from '../html.js';
import { num } from '../../lib/simulation.js';

const W = 340;
const H = 190;
const PAD = { l: 44, r: 10, t: 12, b: 30 };

export function SimulationChart({ result, figure, names }) {
  const stats = result.policies.map((p) => ({ policy: p, s: result.summary[p]?.[figure.name] ?? null }));
  const known = stats.filter((x) => x.s);
  if (!known.length) return html`<p class="muted">No run gave this figure.</p>`;
  const top = Math.max(...known.map((x) => x.s.max), 0) * 1.1 || 1;
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const slot = iw / stats.length;
  const bw = Math.min(56, slot * 0.6);
  const y = (v) => PAD.t + ih * (1 - Math.max(0, v) / top);
  const x = (k) => PAD.l + slot * k + slot / 2;
  const words = known.map((x) => `${names[x.policy]} ${num(x.s.mean)} (${num(x.s.min)} to ${num(x.s.max)})`).join(', ');
  return html`
    <figure class="sim-chart" data-testid="sim-chart">
      <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-labelledby="sim-chart-title" class="sim-chart__svg">
        <title id="sim-chart-title">${figure.label.charAt(0).toUpperCase()}${figure.label.slice(1)}: ${words}</title>
        ${[0, 0.5, 1].map((t) => html`<g>
          <line x1=${PAD.l} x2=${W - PAD.r} y1=${y(top * t)} y2=${y(top * t)} class="sim-chart__grid" />
          <text x=${PAD.l - 4} y=${y(top * t) + 4} class="axis" text-anchor="end">${num(top * t)}</text></g>`)}
        ${stats.map(({ policy, s }, k) => html`<g>
          ${s && html`<rect x=${x(k) - bw / 2} y=${y(s.mean)} width=${bw} height=${y(0) - y(s.mean)} class=${`sim-chart__bar sim-chart__bar--${k % 3}`} />
            <line x1=${x(k)} x2=${x(k)} y1=${y(s.min)} y2=${y(s.max)} class="sim-chart__whisker" />
            <line x1=${x(k) - 8} x2=${x(k) + 8} y1=${y(s.min)} y2=${y(s.min)} class="sim-chart__whisker" />
            <line x1=${x(k) - 8} x2=${x(k) + 8} y1=${y(s.max)} y2=${y(s.max)} class="sim-chart__whisker" />`}
          <text x=${x(k)} y=${H - 10} class="axis" text-anchor="middle">${names[policy]}</text></g>`)}
      </svg>
      <figcaption class="muted">Bars: the mean over the seeds; whiskers: the lowest to the highest seed.</figcaption>
    </figure>`;
}
