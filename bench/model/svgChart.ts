/** A dependency-free SVG line chart: side-by-side panels sharing one legend. */

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly points: readonly (readonly [number, number])[];
}

export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Horizontal reference lines (e.g. a target accuracy). */
  readonly guides?: readonly { readonly y: number; readonly label: string }[];
}

const WIDTH = 460;
const HEIGHT = 320;
const MARGIN = { left: 56, right: 16, top: 32, bottom: 44 };

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Round step (1, 2 or 5 × 10^n) giving about `count` ticks over [min, max]. */
function tickStep(min: number, max: number, count: number): number {
  const raw = (max - min) / count || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

function renderPanel(panel: Panel, offsetX: number): string {
  const xs = panel.series.flatMap((s) => s.points.map(([x]) => x));
  const ys = panel.series.flatMap((s) => s.points.map(([, y]) => y)).concat((panel.guides ?? []).map((g) => g.y));
  const xMin = 0;
  const xMax = Math.max(...xs);
  const yStep = tickStep(Math.min(...ys), Math.max(...ys), 6);
  const yMin = Math.floor(Math.min(...ys) / yStep) * yStep;
  const yMax = Math.ceil(Math.max(...ys) / yStep) * yStep;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number): number => offsetX + MARGIN.left + ((x - xMin) / (xMax - xMin || 1)) * plotW;
  const py = (y: number): number => MARGIN.top + (1 - (y - yMin) / (yMax - yMin || 1)) * plotH;
  const parts: string[] = [];
  parts.push(`<text x="${offsetX + WIDTH / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`);
  for (let y = yMin; y <= yMax + yStep / 2; y += yStep) {
    parts.push(`<line x1="${px(xMin)}" x2="${px(xMax)}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${px(xMin) - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end" font-size="11">${(y * 100).toFixed(0)}%</text>`);
  }
  const xStep = tickStep(xMin, xMax, 5);
  for (let x = xMin; x <= xMax; x += xStep) {
    parts.push(`<line x1="${px(x).toFixed(1)}" x2="${px(x).toFixed(1)}" y1="${py(yMin)}" y2="${py(yMin) + 4}" stroke="#333"/>`);
    parts.push(`<text x="${px(x).toFixed(1)}" y="${py(yMin) + 16}" text-anchor="middle" font-size="11">${x.toLocaleString('en')}</text>`);
  }
  parts.push(`<rect x="${px(xMin)}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${offsetX + MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle" font-size="12">${escapeXml(panel.xLabel)}</text>`);
  parts.push(`<text transform="translate(${offsetX + 14} ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(panel.yLabel)}</text>`);
  for (const guide of panel.guides ?? []) {
    parts.push(`<line x1="${px(xMin)}" x2="${px(xMax)}" y1="${py(guide.y).toFixed(1)}" y2="${py(guide.y).toFixed(1)}" stroke="#888" stroke-dasharray="2 3"/>`);
    parts.push(`<text x="${px(xMax) - 4}" y="${(py(guide.y) - 4).toFixed(1)}" text-anchor="end" font-size="10" fill="#555">${escapeXml(guide.label)}</text>`);
  }
  for (const series of panel.series) {
    const d = series.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    for (const [x, y] of series.points) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.2" fill="${series.color}"/>`);
  }
  return parts.join('\n');
}

/** Renders panels side by side with a legend of every distinct series name below them. */
export function renderLineChart(panels: readonly Panel[]): string {
  const legend = new Map<string, Series>();
  for (const panel of panels) for (const s of panel.series) if (!legend.has(s.name)) legend.set(s.name, s);
  const legendY = HEIGHT + 10;
  const width = WIDTH * Math.max(1, panels.length);
  const perRow = Math.max(1, Math.floor(width / 200));
  const legendRows = Math.ceil(legend.size / perRow);
  const height = legendY + legendRows * 20 + 10;
  const items = [...legend.values()].map((s, i) => {
    const x = 20 + (i % perRow) * 200;
    const y = legendY + Math.floor(i / perRow) * 20 + 10;
    return `<line x1="${x}" x2="${x + 28}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="${x + 34}" y="${y + 4}" font-size="12">${escapeXml(s.name)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...panels.map((panel, i) => renderPanel(panel, i * WIDTH)),
    ...items,
    '</svg>',
    '',
  ].join('\n');
}
