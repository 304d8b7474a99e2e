import { useEffect, useMemo, useState } from 'react';
import type { Preset, RunSummary } from '../../../src-shared/api';
import { ApiError } from '../../../src-shared/api';
import type { ConfigIssue, ExperimentConfig } from '../../../src-shared/config';
import { parseExperimentConfig, requireExperimentConfig } from '../../../src-shared/config';
import { parseJsonc } from '../../../src-shared/jsonc';
import { api } from '../api';
import { ErrorNote, IssueList } from '../components/ErrorNote';
import { KindPickers } from '../components/KindPickers';
import { navigate } from '../hooks/useRoute';
import { useApiData } from '../hooks/useApiData';
import { formatInt, formatNumber } from '../lib/format';

type Parsed = { json: unknown; config: ExperimentConfig | null; issues: ConfigIssue[] };

/** JSON (comments and trailing commas allowed, as in the README's example) first, then the schema: every problem as `field: message`, as the server would report it. */
function parseConfigText(text: string): Parsed {
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : parseJsonc(text);
  } catch (e) {
    return { json: undefined, config: null, issues: [{ field: '(json)', message: (e as Error).message }] };
  }
  const result = parseExperimentConfig(json);
  return result.ok ? { json, config: result.config, issues: [] } : { json, config: null, issues: result.issues };
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** `{}` with every default filled in: the kind each section has when the config leaves it out. */
const DEFAULT_CONFIG = requireExperimentConfig({});

/**
 * Pick a preset (or start from a run's config: `cloneFrom`), edit the config as JSON with inline
 * validation, then create and start the run.
 */
export function NewExperimentPage({ onStarted, cloneFrom }: { onStarted(run: RunSummary): void; cloneFrom?: number }) {
  const presets = useApiData(() => api.listPresets({}), []);
  const source = useApiData(() => (cloneFrom ? api.getRun({ runId: cloneFrom }) : undefined), [cloneFrom]);
  const [presetId, setPresetId] = useState('');
  const [name, setName] = useState('');
  const [text, setText] = useState('{}');
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<unknown>(null);

  const choosePreset = (preset: Preset | undefined) => {
    if (!preset) return;
    setPresetId(preset.id);
    setText(pretty(preset.config));
    setName(preset.id);
    setServerError(null);
  };

  // The first preset prefills the form once the list arrives, unless a run's config is cloned.
  const list = presets.data;
  useEffect(() => {
    if (!list || list.length === 0 || presetId || cloneFrom) return;
    setPresetId(list[0].id);
    setText(pretty(list[0].config));
    setName(list[0].id);
  }, [list, presetId, cloneFrom]);
  const cloned = source.data;
  useEffect(() => {
    if (!cloned) return;
    setPresetId('');
    setText(pretty(cloned.config));
    setName(`${cloned.name} (clone)`);
    setServerError(null);
  }, [cloned]);

  const parsed = useMemo(() => parseConfigText(text), [text]);
  const preset = list?.find((p) => p.id === presetId);
  const serverIssues = serverError instanceof ApiError ? (serverError.issues ?? []) : [];
  const issues = parsed.issues.length > 0 ? parsed.issues : serverIssues;
  const nameOk = name.trim().length > 0;

  const createAndStart = async () => {
    setBusy(true);
    setServerError(null);
    try {
      const experiment = await api.createExperiment({ name: name.trim(), config: parsed.json });
      const run = await api.startRun({ experimentId: experiment.id });
      onStarted(run);
      navigate({ view: 'run', runId: run.id });
    } catch (e) {
      setServerError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page page-new">
      <header className="page-header">
        <div>
          <h1>New experiment</h1>
          <p className="muted" data-testid="new-source">
            {cloneFrom
              ? cloned
                ? `Starting from the config of run #${cloned.id} ${cloned.name}; every field is written out.`
                : `Loading the config of run #${cloneFrom}…`
              : 'Start from a preset, adjust the config, and run it.'}
          </p>
          {source.error && <ErrorNote error={source.error} title={`Run ${cloneFrom}:`} />}
        </div>
      </header>

      <div className="new-grid">
        <section className="card">
          <div className="form-row">
            <label htmlFor="preset">Preset</label>
            <select
              id="preset"
              data-testid="preset-select"
              value={presetId}
              disabled={!list}
              onChange={(e) => choosePreset(list?.find((p) => p.id === e.target.value))}
            >
              {!list && <option value="">Loading…</option>}
              {list && !presetId && <option value="">{cloned ? `Run #${cloned.id}'s config` : '(none)'}</option>}
              {list?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
            {preset?.description && <p className="muted small">{preset.description}</p>}
            {presets.error && <ErrorNote error={presets.error} title="Could not load presets:" />}
          </div>

          <div className="form-row">
            <label htmlFor="experiment-name">Name</label>
            <input
              id="experiment-name"
              data-testid="experiment-name"
              type="text"
              value={name}
              maxLength={200}
              placeholder="e.g. mixture, 3 modes, σ_max 10"
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !busy && parsed.config && nameOk) void createAndStart();
              }}
            />
          </div>

          <div className="form-row">
            <span className="form-label">Kinds</span>
            <KindPickers
              json={parsed.json}
              defaults={DEFAULT_CONFIG}
              onChange={(json) => {
                setText(pretty(json));
                setServerError(null);
              }}
            />
          </div>

          <div className="form-row">
            <div className="label-row">
              <label htmlFor="config-editor">Config (JSON)</label>
              <span className="label-actions">
                <button
                  type="button"
                  className="btn btn-link"
                  disabled={!parsed.config}
                  title="Replace the text with the full config, every default written out"
                  onClick={() => parsed.config && setText(pretty(parsed.config))}
                >
                  Show all defaults
                </button>
                <button
                  type="button"
                  className="btn btn-link"
                  disabled={!preset}
                  onClick={() => preset && setText(pretty(preset.config))}
                >
                  Reset to preset
                </button>
              </span>
            </div>
            <textarea
              id="config-editor"
              data-testid="config-editor"
              className={`code-editor${issues.length > 0 ? ' has-issues' : ''}`}
              spellCheck={false}
              value={text}
              rows={18}
              onChange={(e) => {
                setText(e.target.value);
                setServerError(null);
              }}
              onKeyDown={(e) => {
                // Ctrl/⌘+Enter starts the run from the editor; plain Enter is a new line.
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !busy && parsed.config && nameOk) {
                  e.preventDefault();
                  void createAndStart();
                }
              }}
            />
            {issues.length > 0 ? (
              <IssueList issues={issues} className="issues" testId="config-issues" alert />
            ) : (
              <p className="valid-note" data-testid="config-valid">
                ✓ Config is valid
              </p>
            )}
          </div>

          {serverError != null && serverIssues.length === 0 && <ErrorNote error={serverError} title="Could not start:" />}

          <div className="form-actions">
            <button
              className="btn btn-primary"
              data-testid="create-and-start"
              disabled={busy || !parsed.config || !nameOk}
              onClick={createAndStart}
            >
              {busy ? 'Starting…' : 'Create & start'}
            </button>
            {!nameOk ? (
              <span className="muted small">Give the experiment a name.</span>
            ) : (
              <span className="muted small">
                <kbd>Enter</kbd> in the name or <kbd>Ctrl</kbd>+<kbd>Enter</kbd> in the config starts it.
              </span>
            )}
          </div>
        </section>

        <section className="card">
          <h2>Summary</h2>
          {parsed.config ? <ConfigSummary config={parsed.config} /> : <p className="muted">Fix the config to see its summary.</p>}
        </section>
      </div>
    </div>
  );
}

/** The schedule's range and levels as the config states them; the data-driven kinds say what they take from the data. */
function scheduleSummary(schedule: ExperimentConfig['schedule']): string {
  const levels = (n: number | undefined) => (n === undefined ? 'levels from the dimension' : `${formatInt(n)} levels`);
  if (schedule.kind === 'adaptive')
    return `adaptive (${schedule.spacing}) · σ from the ${formatNumber(schedule.lowPercentile)}th to the ${formatNumber(schedule.highPercentile)}th percentile of pairwise distances · ${levels(schedule.levels)}`;
  if (schedule.kind === 'ncsnv2') return `ncsnv2 · σ ${formatNumber(schedule.sigmaMin)} → largest pairwise distance · ${levels(schedule.levels)}`;
  return `${schedule.kind} · σ ${formatNumber(schedule.sigmaMin)} → ${formatNumber(schedule.sigmaMax)} · ${levels(schedule.levels)}`;
}

/** One line per model kind: its architecture, or that it needs no training. */
function modelSummary(model: ExperimentConfig['model']): string {
  switch (model.kind) {
    case 'analytic':
      return 'analytic score of the mixture · no training';
    case 'unet':
      return `U-Net [${model.channels.join(', ')}]${model.scaleBySigma ? ' · s/σ' : ''}`;
    case 'energy-mlp':
      return `energy MLP [${model.hidden.join(', ')}] · ${model.activation} · τ = ${formatNumber(model.temperature)}${model.scaleBySigma ? ' · E/σ' : ''}`;
    default:
      return `${model.kind.toUpperCase()} [${model.hidden.join(', ')}] · ${model.activation}${model.scaleBySigma ? ' · s/σ' : ''}`;
  }
}

/** One line per sampler kind: its own step settings, the task when not plain generation, and the chain count. */
function samplerSummary(sampler: ExperimentConfig['sampler']): string {
  const task = sampler.task.kind === 'generate' ? '' : ` · ${sampler.task.kind}`;
  return `${sampler.kind} · ${samplerSteps(sampler)}${task} · n = ${formatInt(sampler.n)}`;
}

function samplerSteps(sampler: ExperimentConfig['sampler']): string {
  switch (sampler.kind) {
    case 'annealed-langevin':
      return `${formatInt(sampler.stepsPerLevel)} steps/level · ε = ${formatNumber(sampler.eps)}`;
    case 'predictor-corrector':
      return `snr ${formatNumber(sampler.snr)} · ${formatInt(sampler.correctorSteps)} corrector steps/level`;
    case 'rwmh':
      return `${formatInt(sampler.steps)} steps · τ = ${formatNumber(sampler.proposalStd)}`;
    default:
      return `${formatInt(sampler.steps)} steps · ε = ${formatNumber(sampler.eps)}`;
  }
}

function ConfigSummary({ config }: { config: ExperimentConfig }) {
  const { data, model, objective, schedule, train, sampler } = config;
  const rows: [string, string][] = [
    [
      'Dataset',
      data.kind === 'gaussian-mixture'
        ? `Gaussian mixture · ${data.means.length} modes · ${data.means[0].length}-D · n = ${formatInt(data.n)}`
        : data.kind === 'csv'
          ? `CSV · ${data.path}`
          : data.kind === 'mnist'
            ? `MNIST · 28×28 · ${data.digits ? `digits ${data.digits.join(', ')}` : 'all digits'} · n = ${formatInt(data.n)}`
            : `${data.kind} · 2-D · n = ${formatInt(data.n)}`,
    ],
    ['Model', modelSummary(model)],
    ['Objective', `${objective.kind.toUpperCase()} · λ(σ) = ${{ sigma2: 'σ²', sigma: 'σ', one: '1' }[objective.weighting]}`],
    ['Schedule', scheduleSummary(schedule)],
    ['Sampler', samplerSummary(sampler)],
    ['Training', `${formatInt(train.steps)} steps · batch ${formatInt(train.batchSize)} · lr ${formatNumber(train.lr)}`],
    ['Seed', String(config.seed)],
  ];
  return (
    <dl className="summary" data-testid="config-summary">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
