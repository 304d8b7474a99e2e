import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { Curve, CurvePoint, RunSummary, ScheduleLevel } from '../../../../src-shared/api';
import { compareMetricKeys, lossLevelOf, metricKey } from '../../../../src-shared/labels';
import { api } from '../../api';
import { useApiData } from '../../hooks/useApiData';
import { formatNumber } from '../../lib/format';
import { describeLevel, scheduleMismatchNote, sharedSigma, sigmasAt, type RunLevels } from '../../lib/level-sigmas';
import { CurveChart, formatX, xOf, type CurveSeries, type XMode } from '../CurveChart';
import { ErrorNote } from '../ErrorNote';
import { PngButton } from '../PngButton';

export interface ComparedRun {
  id: number;
  label: string;
  color: string;
  summary: RunSummary;
}

interface Props {
  runs: readonly ComparedRun[];
  /** Changes about once a second while a compared run trains: curves are refetched on it. */
  liveTick: string;
  /** Per run, its schedule: titles the per-level charts with each run's own σ_i. */
  schedules?: ReadonlyMap<number, ScheduleLevel[]>;
  /** Called once the main chart's curves have arrived (the page loads the rest after them). */
  onLoaded?(): void;
}

/** Points per curve for the main chart: M4 with a bucket per ~2 px of a wide chart. */
const MAX_POINTS = 2000;
/** The per-level charts are a third as wide: 60 buckets, about one per 5 px. */
const LEVEL_MAX_POINTS = 240;

/** Unix seconds when the run started training (its creation, if it never started). */
const startSeconds = (run: RunSummary): number => Date.parse(run.startedAt ?? run.createdAt) / 1000;

/**
 * Per run, the step range whose points fall in [x0, x1] on a time axis, widened to the points just
 * outside it (so lines reach the edges); from the overview curve, whose times increase with step.
 */
function stepRangeForX(points: readonly CurvePoint[], mode: XMode, start: number, [x0, x1]: readonly [number, number]) {
  let from = points.length ? points[0].step : 0;
  let to = points.length ? points[points.length - 1].step : 0;
  for (const p of points) {
    const x = xOf(mode, p, start);
    if (x <= x0) from = p.step;
    if (x >= x1) {
      to = p.step;
      break;
    }
  }
  return { fromStep: from, toStep: Math.max(from, to) };
}

/** One series per run for metric `key`, in the runs' colours; `sigmaOf` adds the run's own σ to its name. */
const seriesFor = (
  runs: readonly ComparedRun[],
  curves: ReadonlyMap<string, CurvePoint[]>,
  key: string,
  sigmaOf?: (runId: number) => number | undefined,
): CurveSeries[] =>
  runs.map((r) => ({
    id: `run${r.id}`,
    name: sigmaOf && sigmaOf(r.id) !== undefined ? `${r.label} (σ = ${formatNumber(sigmaOf(r.id), 4)})` : r.label,
    color: r.color,
    points: curves.get(`${r.id}:${key}`) ?? [],
    startSeconds: startSeconds(r.summary),
  }));

const curveMap = (curves: readonly Curve[] | undefined) => {
  const map = new Map<string, CurvePoint[]>();
  for (const c of curves ?? []) map.set(`${c.runId}:${c.key}`, c.points);
  return map;
};

/**
 * The compared runs' loss curves, overlaid: the total loss (or any one level's) in one chart, every
 * level's in small multiples below. Smoothing, log scale, x as step or time, and zoom apply to all
 * of them; a zoom re-queries the store for that range, so it shows the points the overview had to
 * leave out.
 */
export const LossCurvesPanel = memo(function LossCurvesPanel({ runs, liveTick, schedules, onLoaded }: Props) {
  const [key, setKey] = useState<string>(metricKey.loss);
  const [smoothing, setSmoothing] = useState(0.6);
  const [logScale, setLogScale] = useState(true);
  const [xMode, setXMode] = useState<XMode>('step');
  const [zoom, setZoom] = useState<[number, number] | null>(null);
  const [showLevels, setShowLevels] = useState(true);
  const chartRef = useRef<HTMLDivElement>(null);

  const runIds = useMemo(() => runs.map((r) => r.id), [runs]);
  const idsKey = runIds.join(',');
  const statusKey = runs.map((r) => r.summary.status).join(',');

  // A run's keys appear with its first logged step and then stay: ask again on the live tick
  // only while some run has none yet.
  const [keysSettled, setKeysSettled] = useState(false);
  const keyLists = useApiData(
    () => Promise.all(runIds.map((runId) => api.listMetricKeys({ runId }))),
    [idsKey, statusKey, keysSettled ? '' : liveTick],
  );
  const settledNow = (keyLists.data?.length ?? 0) === runIds.length && (keyLists.data ?? []).every((list) => list.length > 0);
  if (settledNow !== keysSettled) setKeysSettled(settledNow);
  const keys = useMemo(() => {
    const all = new Set<string>([metricKey.loss]);
    for (const list of keyLists.data ?? []) for (const k of list) all.add(k);
    return [...all].sort(compareMetricKeys);
  }, [keyLists.data]);
  const levelKeys = useMemo(() => keys.filter((k) => lossLevelOf(k) !== null), [keys]);

  const overview = useApiData(() => api.getCurves({ runIds, keys: [key], maxPoints: MAX_POINTS }), [idsKey, key, liveTick]);

  // A step-axis zoom is one query for every run; a time-axis zoom becomes each run's own step range.
  const stepZoom =
    zoom && xMode === 'step'
      ? { fromStep: Math.floor(zoom[0] - (zoom[1] - zoom[0]) * 0.01), toStep: Math.ceil(zoom[1] + (zoom[1] - zoom[0]) * 0.01) }
      : null;
  const zoomKey = zoom ? `${xMode}:${zoom[0]}:${zoom[1]}` : '';
  const zoomed = useApiData(() => {
    if (!zoom) return undefined;
    if (stepZoom) return api.getCurves({ runIds, keys: [key], maxPoints: MAX_POINTS, ...stepZoom });
    const loaded = curveMap(overview.data);
    return Promise.all(
      runs.map((r) =>
        api.getCurves({
          runIds: [r.id],
          keys: [key],
          maxPoints: MAX_POINTS,
          ...stepRangeForX(loaded.get(`${r.id}:${key}`) ?? [], xMode, startSeconds(r.summary), zoom),
        }),
      ),
    ).then((lists) => lists.flat());
  }, [idsKey, key, zoomKey, liveTick, xMode === 'step' ? null : overview.data]);

  // Asked for once the main chart's curves are in: the store answers one query at a time, and
  // the main chart is what a person looks at first.
  const mainLoaded = overview.data !== undefined || overview.error !== null;
  useEffect(() => {
    if (mainLoaded) onLoaded?.();
  }, [mainLoaded, onLoaded]);
  const levels = useApiData(
    () =>
      showLevels && mainLoaded && levelKeys.length > 0
        ? api.getCurves({ runIds, keys: levelKeys, maxPoints: LEVEL_MAX_POINTS, ...(stepZoom ?? {}) })
        : undefined,
    [idsKey, levelKeys.join(','), showLevels, mainLoaded, stepZoom?.fromStep, stepZoom?.toStep, liveTick],
  );

  const mainCurves = useMemo(() => curveMap(zoom && zoomed.data ? zoomed.data : overview.data), [zoom, zoomed.data, overview.data]);
  const levelCurves = useMemo(() => curveMap(levels.data), [levels.data]);
  const series = useMemo(() => seriesFor(runs, mainCurves, key), [runs, mainCurves, key]);
  // Level i is σ_i of each run's own schedule: where the runs' σ_i differ, every series says its own.
  const runLevels: RunLevels[] = useMemo(
    () => runs.map((r) => ({ id: r.id, label: r.label, levels: schedules?.get(r.id) ?? [] })),
    [runs, schedules],
  );
  const mismatch = useMemo(() => scheduleMismatchNote(runLevels), [runLevels]);
  const levelSeries = useMemo(
    () =>
      new Map(
        levelKeys.map((k) => {
          const level = lossLevelOf(k)!;
          const own = sharedSigma(runLevels, level) === null ? new Map(sigmasAt(runLevels, level).map((s) => [s.id, s.sigma])) : null;
          return [k, seriesFor(runs, levelCurves, k, own ? (id) => own.get(id) : undefined)];
        }),
      ),
    [runs, levelCurves, levelKeys, runLevels],
  );
  const drawnPoints = series.reduce((n, s) => n + s.points.length, 0);

  const chooseXMode = (mode: XMode) => {
    setXMode(mode);
    setZoom(null); // a range in steps means nothing in seconds
  };

  return (
    <section className="card" data-testid="loss-panel">
      <div className="card-head">
        <h2>Loss curves</h2>
        <PngButton target={chartRef} fileName={`compare-${key}`} legend={series} testId="loss-png" />
      </div>

      <div className="chart-controls">
        <label className="control">
          <span>Curve</span>
          <select data-testid="curve-key" value={key} onChange={(e) => setKey(e.target.value)}>
            {keys.map((k) => (
              <option key={k} value={k}>
                {k === metricKey.loss ? 'total loss' : k}
              </option>
            ))}
          </select>
        </label>
        <label className="control" title="Exponential moving average, debiased as TensorBoard does">
          <span>Smoothing</span>
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={smoothing}
            data-testid="smoothing"
            onChange={(e) => setSmoothing(Number(e.target.value))}
          />
          <output className="control-value">{smoothing.toFixed(2)}</output>
        </label>
        <label className="toggle">
          <input type="checkbox" data-testid="compare-log-toggle" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} />
          Log scale
        </label>
        <div className="segmented" role="radiogroup" aria-label="x axis">
          {(['step', 'relative', 'wall'] as const).map((mode) => (
            <label key={mode} className={xMode === mode ? 'is-on' : undefined}>
              <input
                type="radio"
                name="x-mode"
                value={mode}
                data-testid={`x-mode-${mode}`}
                checked={xMode === mode}
                onChange={() => chooseXMode(mode)}
              />
              {mode === 'step' ? 'Step' : mode === 'relative' ? 'Relative' : 'Wall'}
            </label>
          ))}
        </div>
        <ZoomInputs xMode={xMode} zoom={zoom} onZoom={setZoom} />
      </div>

      <div ref={chartRef}>
        <CurveChart
          testId="compare-chart"
          series={series}
          logScale={logScale}
          smoothing={smoothing}
          xMode={xMode}
          xRange={zoom}
          onZoom={setZoom}
          height={360}
        />
      </div>
      <p className="muted small" data-testid="zoom-status">
        {zoom
          ? `Zoomed to ${formatX(xMode, zoom[0])} – ${formatX(xMode, zoom[1])}, re-queried for this range: ${drawnPoints} points drawn. Double-click the chart or Reset to see everything.`
          : `Drag across the chart to zoom; ${drawnPoints} points drawn (each curve downsampled keeping every bucket's first, last, lowest and highest point).`}
      </p>
      {(overview.error || zoomed.error || keyLists.error) && <ErrorNote error={overview.error ?? zoomed.error ?? keyLists.error} title="Loss curves:" />}

      {levelKeys.length > 0 && (
        <div className="levels">
          <label className="toggle">
            <input type="checkbox" data-testid="levels-toggle" checked={showLevels} onChange={(e) => setShowLevels(e.target.checked)} />
            Per-level DSM losses ({levelKeys.length} levels)
          </label>
          {showLevels && mismatch && (
            <p className="callout callout-warn small" data-testid="level-sigma-note">
              {mismatch} The charts below are matched by level index, not by σ: each title gives every run's own σ.
            </p>
          )}
          {showLevels && (
            <div className="level-grid" data-testid="level-grid">
              {levelKeys.map((k) => {
                const level = lossLevelOf(k)!;
                return (
                  <div key={k} className="level-cell">
                    <LevelTitle level={level} runs={runs} runLevels={runLevels} />
                    <CurveChart
                      testId={`level-chart-${level}`}
                      series={levelSeries.get(k) ?? []}
                      logScale={logScale}
                      smoothing={smoothing}
                      xMode={xMode}
                      xRange={zoom}
                      onZoom={setZoom}
                      height={170}
                      compact
                    />
                  </div>
                );
              })}
            </div>
          )}
          {levels.error && <ErrorNote error={levels.error} title="Per-level losses:" />}
        </div>
      )}
    </section>
  );
});

/** "level 3 · σ = 0.5" where the runs agree on σ_3; else each run's own σ_3, in its colour. */
function LevelTitle({ level, runs, runLevels }: { level: number; runs: readonly ComparedRun[]; runLevels: readonly RunLevels[] }) {
  const shared = sharedSigma(runLevels, level);
  const own = sigmasAt(runLevels, level);
  const color = new Map(runs.map((r) => [r.id, r.color]));
  return (
    <div className="level-title" data-testid={`level-title-${level}`} title={own.length > 0 ? `level ${level}: ${describeLevel(own)}` : undefined}>
      level {level}
      {shared !== null ? (
        <span className="muted"> · σ = {formatNumber(shared, 4)}</span>
      ) : (
        own.length > 0 && (
          <span className="muted">
            {' · σ = '}
            {own.map((s, i) => (
              <span key={s.id}>
                {i > 0 && ' / '}
                <span style={{ color: color.get(s.id) }} data-run={s.id}>
                  {s.sigma === undefined ? '—' : formatNumber(s.sigma, 4)}
                </span>
              </span>
            ))}
          </span>
        )
      )}
    </div>
  );
}

/** Zoom by typing the range (keyboard users; exact ranges). Wall-clock ranges are dragged only. */
function ZoomInputs({ xMode, zoom, onZoom }: { xMode: XMode; zoom: [number, number] | null; onZoom(z: [number, number] | null): void }) {
  const [ends, setEnds] = useState<[string, string]>(['', '']);
  const apply = () => {
    const [a, b] = ends.map((t) => (t.trim() === '' ? NaN : Number(t)));
    if (Number.isFinite(a) && Number.isFinite(b) && a < b) onZoom([a, b]);
  };
  const unit = xMode === 'step' ? 'step' : 's';
  return (
    <div className="control zoom-inputs">
      <span>Zoom</span>
      {xMode !== 'wall' && (
        <>
          {(['from', 'to'] as const).map((end, i) => (
            <input
              key={end}
              type="text"
              inputMode="decimal"
              aria-label={`zoom ${end} (${unit})`}
              placeholder={`${end} ${unit}`}
              data-testid={`zoom-${end}`}
              value={ends[i]}
              onChange={(e) => {
                const text = e.target.value;
                setEnds((prev) => (i === 0 ? [text, prev[1]] : [prev[0], text]));
              }}
              onKeyDown={(e) => e.key === 'Enter' && apply()}
            />
          ))}
          <button type="button" className="btn btn-small" data-testid="zoom-apply" onClick={apply}>
            Apply
          </button>
        </>
      )}
      <button
        type="button"
        className="btn btn-small"
        data-testid="zoom-reset"
        disabled={!zoom}
        onClick={() => {
          onZoom(null);
          setEnds(['', '']);
        }}
      >
        Reset
      </button>
    </div>
  );
}
