import { useState } from 'react';
import { RESUMABLE_STATUSES, type RunSummary } from '../../../../src-shared/api';
import { api } from '../../api';
import { useApiData } from '../../hooks/useApiData';
import { formatInt } from '../../lib/format';
import { ErrorNote } from '../ErrorNote';

/**
 * "Resume" for a run that stopped early: it trains on from its last checkpoint on the same curve.
 * The steps and learning rate can be changed first (a diverged run usually needs a lower rate);
 * the server validates them like any config and says which field is wrong.
 */
export function ResumeButton({ run, onRunChanged }: { run: RunSummary; onRunChanged(run: RunSummary): void }) {
  const resumable = RESUMABLE_STATUSES.includes(run.status);
  const checkpoint = useApiData(() => (resumable ? api.getCheckpointInfo({ runId: run.id }) : undefined), [run.id, run.status]);
  const [editing, setEditing] = useState(false);
  const [steps, setSteps] = useState(String(run.config.train.steps));
  const [lr, setLr] = useState(String(run.config.train.lr));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!resumable) return null;

  const from = checkpoint.data?.step ?? 0;
  const resume = async () => {
    setBusy(true);
    setError(null);
    try {
      onRunChanged(await api.resumeRun({ runId: run.id, overrides: { train: { steps: Number(steps), lr: Number(lr) } } }));
      setEditing(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const label = checkpoint.data ? `Resume from step ${formatInt(from)}` : 'Resume from the start';
  return (
    <div className="resume" data-testid="resume">
      {!editing ? (
        <button
          type="button"
          className="btn btn-small btn-primary"
          data-testid="resume-run"
          disabled={checkpoint.loading && !checkpoint.data}
          title={checkpoint.data ? 'Train on from the last checkpoint, on the same curve' : 'No checkpoint was saved: training starts over'}
          onClick={() => setEditing(true)}
        >
          {label}…
        </button>
      ) : (
        <form
          className="inline-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void resume();
          }}
        >
          <label>
            steps <input type="text" inputMode="numeric" size={8} data-testid="resume-steps" value={steps} onChange={(e) => setSteps(e.target.value)} />
          </label>
          <label>
            lr <input type="text" inputMode="decimal" size={8} data-testid="resume-lr" value={lr} onChange={(e) => setLr(e.target.value)} />
          </label>
          <button type="submit" className="btn btn-small btn-primary" data-testid="resume-confirm" disabled={busy}>
            {busy ? 'Resuming…' : label}
          </button>
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      )}
      {error != null && <ErrorNote error={error} title="Resume failed:" />}
    </div>
  );
}
