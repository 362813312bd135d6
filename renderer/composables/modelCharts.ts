import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { ConfusionMatrixDto, ModelReport, ModelSummary, OutOfScopePointDto } from '../../shared/contract/dto';

/** The ECharts options the Models view uses: bar, line and heatmap series on a grid. */
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | VisualMapComponentOption
>;

const accent = '#2f6fdb';
const muted = '#b4bac3';
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Per-intent F1 as horizontal bars, lowest F1 on top so the weak intents catch the eye. */
export function f1BarOption(perIntent: ModelReport['perIntent'], nameOf: (id: string) => string): ChartOption {
  const rows = [...perIntent].sort((a, b) => b.f1 - a.f1 || a.intentId.localeCompare(b.intentId));
  return {
    animation: false,
    grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', min: 0, max: 1 },
    yAxis: { type: 'category', data: rows.map((r) => nameOf(r.intentId)), axisLabel: { fontSize: 11, width: 140, overflow: 'truncate' } },
    series: [{ type: 'bar', name: 'F1', data: rows.map((r) => round3(r.f1)), itemStyle: { color: accent }, barMaxWidth: 14 }],
  };
}

/** Labels of the reliability diagram's series and axes, in the UI language. */
export interface ReliabilityLabels {
  readonly confidence: string;
  readonly accuracy: string;
  readonly perfect: string;
}

/** The reliability diagram: mean confidence against accuracy per bin, with the diagonal of perfect calibration. */
export function reliabilityOption(bins: ModelReport['reliability'], labels: ReliabilityLabels): ChartOption {
  const points = bins.filter((b) => b.count > 0).map((b) => [round3(b.meanConfidence), round3(b.accuracy), b.count]);
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 36, bottom: 26, containLabel: true },
    legend: { top: 0, data: [labels.accuracy, labels.perfect] },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', min: 0, max: 1, name: labels.confidence, nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'value', min: 0, max: 1, name: labels.accuracy },
    series: [
      { type: 'line', name: labels.perfect, data: [[0, 0], [1, 1]], showSymbol: false, lineStyle: { type: 'dashed', color: muted }, itemStyle: { color: muted } },
      { type: 'line', name: labels.accuracy, data: points, symbolSize: 7, itemStyle: { color: accent }, lineStyle: { color: accent } },
    ],
  };
}

/** Labels of the accuracy-over-versions chart. */
export interface VersionChartLabels {
  readonly accuracy: string;
  readonly macroF1: string;
  readonly version: (v: number) => string;
}

/** Accuracy and macro-F1 of every version, oldest first. */
export function versionsOption(versions: readonly ModelSummary[], labels: VersionChartLabels): ChartOption {
  const byAge = [...versions].sort((a, b) => a.version - b.version);
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    legend: { top: 0, data: [labels.accuracy, labels.macroF1] },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: byAge.map((v) => labels.version(v.version)) },
    yAxis: { type: 'value', min: (value: { min: number }) => Math.max(0, Math.floor(value.min * 10) / 10 - 0.1), max: 1 },
    series: [
      { type: 'line', name: labels.accuracy, data: byAge.map((v) => round3(v.accuracy)), itemStyle: { color: accent } },
      { type: 'line', name: labels.macroF1, data: byAge.map((v) => round3(v.macroF1)), itemStyle: { color: '#2a9d5c' } },
    ],
  };
}

/** Labels of the out-of-scope threshold chart, in the UI language. */
export interface OutOfScopeChartLabels {
  readonly threshold: string;
  readonly inScopeFlagged: string;
  readonly oosRecall: string;
  readonly oosPrecision: string;
  readonly current: string;
  readonly picked: string;
}

/**
 * The out-of-scope curve: share of in-scope utterances flagged and, when measured, out-of-scope recall and precision
 * against the threshold, with a solid marker at the version's threshold and a dashed one at the picked threshold.
 */
export function outOfScopeCurveOption(curve: readonly OutOfScopePointDto[], current: number, picked: number, labels: OutOfScopeChartLabels): ChartOption {
  const measured = curve.some((p) => p.oosRecall !== null);
  const line = (name: string, color: string, value: (p: OutOfScopePointDto) => number | null): LineSeriesOption => ({
    type: 'line',
    name,
    data: curve.map((p) => [p.threshold, nullableRound3(value(p))]),
    showSymbol: false,
    connectNulls: false,
    itemStyle: { color },
    lineStyle: { color, width: 2 },
  });
  const marker = (value: number, label: string, type: 'solid' | 'dashed', color: string) => ({
    xAxis: round3(value),
    label: { formatter: `${label} ${value.toFixed(2)}`, color, position: 'end' as const },
    lineStyle: { type, color, width: 1.5 },
  });
  const markers = [marker(current, labels.current, 'solid', '#333a44')];
  if (Math.abs(picked - current) > 1e-9) markers.push(marker(picked, labels.picked, 'dashed', '#d9822b'));
  const flagged = line(labels.inScopeFlagged, '#d9822b', (p) => p.inScopeFlagged);
  flagged.markLine = { symbol: 'none', silent: true, animation: false, data: markers };
  const series = [flagged];
  if (measured) series.push(line(labels.oosRecall, accent, (p) => p.oosRecall), line(labels.oosPrecision, '#2a9d5c', (p) => p.oosPrecision));
  return {
    animation: false,
    grid: { left: 8, right: 20, top: 48, bottom: 26, containLabel: true },
    legend: { top: 0, data: series.map((x) => String(x.name)) },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—') },
    xAxis: { type: 'value', min: 0, max: 1, name: labels.threshold, nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series,
  };
}

/** The curve point nearest to `threshold` (the curve's figures for a picked threshold), or null for an empty curve. */
export function curvePointAt(curve: readonly OutOfScopePointDto[], threshold: number): OutOfScopePointDto | null {
  let best: OutOfScopePointDto | null = null;
  for (const p of curve) if (!best || Math.abs(p.threshold - threshold) < Math.abs(best.threshold - threshold)) best = p;
  return best;
}

/** Labels of the confusion heatmap. */
export interface ConfusionChartLabels {
  readonly actual: string;
  readonly predicted: string;
}

/**
 * The confusion heatmap of the most confused intents: actual intents as rows (most confused on top), predicted as columns;
 * errors coloured by count, the correct (diagonal) cells in neutral grey so the errors stand out.
 */
export function confusionHeatmapOption(matrix: ConfusionMatrixDto, nameOf: (id: string) => string, labels: ConfusionChartLabels): ChartOption {
  const names = matrix.intents.map(nameOf);
  const errors: [number, number, number][] = [];
  const correct: [number, number, number][] = [];
  matrix.counts.forEach((row, a) => row.forEach((count, p) => (a === p ? correct : errors).push([p, a, count])));
  const maxError = Math.max(1, ...errors.map((e) => e[2]));
  const cellLabel = { show: true, fontSize: 11, formatter: (x: { value?: unknown }) => (Array.isArray(x.value) && x.value[2] ? String(x.value[2]) : '') };
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 8, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (x) => {
        const value = (Array.isArray(x) ? x[0] : x)?.value;
        if (!Array.isArray(value)) return '';
        const [p, a, count] = value as number[];
        return `${labels.actual}: ${names[a!]}<br/>${labels.predicted}: ${names[p!]}<br/><b>${count}</b>`;
      },
    },
    xAxis: { type: 'category', data: names, position: 'bottom', axisLabel: { interval: 0, rotate: 35, fontSize: 11, width: 96, overflow: 'truncate' } },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { interval: 0, fontSize: 11, width: 120, overflow: 'truncate' } },
    visualMap: { show: false, min: 0, max: maxError, seriesIndex: 0, dimension: 2, inRange: { color: ['#fff4e6', '#f0a35e', '#c0392b'] } },
    series: [
      { type: 'heatmap', name: labels.predicted, data: errors.filter((e) => e[2] > 0), label: cellLabel, itemStyle: { borderColor: '#fff', borderWidth: 1 } },
      { type: 'heatmap', name: labels.actual, data: correct, label: { ...cellLabel, color: '#555' }, itemStyle: { color: '#e3e6ea', borderColor: '#fff', borderWidth: 1 } },
    ],
  };
}

function nullableRound3(x: number | null): number | null {
  return x === null ? null : round3(x);
}
