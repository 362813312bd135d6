import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { ModelReport, ModelSummary } from '../../shared/contract/dto';

/** The ECharts options the Models view uses: bar and line series on a grid. */
export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

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
