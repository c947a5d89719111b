// Weekly compliance trend as hand-written inline SVG: a line over green/amber/red bands, with a
// text table fallback for screen readers. No chart library.
import { html } from '../html.js';
import { GREEN_AT, AMBER_AT } from '../../lib/compliance.js';

const W = 320;
const H = 160;
const PAD = { l: 34, r: 18, t: 8, b: 24 };

export function TrendChart({ points }) {
  const known = points.filter((p) => p.rate != null);
  if (!known.length) return html`<p class="muted trend-empty">No trend data yet.</p>`;
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const x = (i) => PAD.l + (points.length > 1 ? (i * iw) / (points.length - 1) : iw / 2);
  const y = (r) => PAD.t + ih * (1 - Math.max(0, Math.min(1, r)));
  // Break the line where a week has no data instead of drawing through the gap.
  let d = '';
  let pen = false;
  points.forEach((p, i) => {
    if (p.rate == null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.rate).toFixed(1)} `;
    pen = true;
  });
  return html`
    <figure class="trend">
      <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-labelledby="trend-title" class="trend__svg">
        <title id="trend-title">Compliance by week, ${known.map((p) => `${p.week} ${Math.round(p.rate * 100)} %`).join(', ')}</title>
        <rect x=${PAD.l} y=${y(1)} width=${iw} height=${y(GREEN_AT) - y(1)} class="band band--green" />
        <rect x=${PAD.l} y=${y(GREEN_AT)} width=${iw} height=${y(AMBER_AT) - y(GREEN_AT)} class="band band--amber" />
        <rect x=${PAD.l} y=${y(AMBER_AT)} width=${iw} height=${y(0) - y(AMBER_AT)} class="band band--red" />
        ${[0, 0.5, 0.7, 0.9].map((t) => html`<text x=${PAD.l - 4} y=${y(t) + 4} class="axis" text-anchor="end">${Math.round(t * 100)}</text>`)}
        ${points.map((p, i) => (points.length > 8 && i % 2 ? null : html`<text x=${x(i)} y=${H - 6} class="axis" text-anchor="middle">${p.week.slice(-3)}</text>`))}
        <path d=${d} class="trend__line" />
        ${points.map((p, i) => p.rate != null && html`<circle cx=${x(i)} cy=${y(p.rate)} r="3.5" class="trend__dot" />`)}
      </svg>
      <figcaption class="sr-only">
        <table><tr><th>Week</th><th>Compliance</th></tr>
          ${points.map((p) => html`<tr><td>${p.week}</td><td>${p.rate == null ? 'no data' : `${Math.round(p.rate * 100)} %`}</td></tr>`)}</table>
      </figcaption>
    </figure>
  `;
}
