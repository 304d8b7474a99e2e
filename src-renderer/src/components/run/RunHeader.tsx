import { useState } from 'react';
import type { RunDetail, RunSummary } from '../../../../src-shared/api';
import { api } from '../../api';
import { useRunEdits } from '../../hooks/useRunEdits';
import { navigate } from '../../hooks/useRoute';
import { formatTimestamp } from '../../lib/format';
import { ConfirmDialog } from '../ConfirmDialog';
import { ErrorNote } from '../ErrorNote';
import { InlineEdit } from '../InlineEdit';
import { StatusBadge, isActive } from '../StatusBadge';
import { TagList } from '../TagList';
import { BackendLabel } from './BackendLabel';
import { ResumeButton } from './ResumeButton';

/** What the run page's editing parts get: the run, and where its changes and its removal are reported. */
export interface RunEditProps {
  run: RunDetail;
  onRunChanged(run: RunSummary): void;
  onRunRemoved(runId: number): void;
}

export function RunHeader({ run, onRunChanged, onRunRemoved }: RunEditProps) {
  const [stopping, setStopping] = useState<'cancel' | 'pause' | null>(null);
  const [stopError, setStopError] = useState<unknown>(null);
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const edits = useRunEdits(onRunChanged, onRunRemoved);
  /** Cancel and pause both stop the run at its next step with a checkpoint; a paused run is meant to be resumed. */
  const stop = async (how: 'cancel' | 'pause') => {
    setStopping(how);
    setStopError(null);
    try {
      // The reply is the run as it was when asked (it stops at its next step): the run's own
      // update event brings the new status, and may come before this reply, so the reply is not
      // applied over it.
      await (how === 'cancel' ? api.cancelRun({ runId: run.id }) : api.pauseRun({ runId: run.id }));
    } catch (e) {
      setStopError(e);
    } finally {
      setStopping(null);
    }
  };
  const active = isActive(run.status);
  return (
    <header className="page-header">
      <div className="header-main">
        <div className="title-row">
          {renaming ? (
            <InlineEdit
              value={run.name}
              label="Run name"
              testId="run-name-input"
              onSave={(name) => edits.update([run.id], { name })}
              onDone={() => setRenaming(false)}
            />
          ) : (
            <h1 data-testid="run-name">{run.name}</h1>
          )}
          <StatusBadge status={run.status} testId="run-status" />
          {run.archived && <span className="badge" data-testid="run-archived">archived</span>}
          {!renaming && (
            <button type="button" className="btn btn-link" data-testid="rename-run" onClick={() => setRenaming(true)}>
              Rename
            </button>
          )}
        </div>
        <div className="header-meta">
          <span>Run #{run.id}</span>
          <span data-testid="run-backend">
            <BackendLabel backend={run.backend} />
          </span>
          <span data-testid="run-seed">seed {run.seed}</span>
          <span title={`created ${run.createdAt}`}>created {formatTimestamp(run.createdAt)}</span>
          <span className="muted">
            {run.dataKind} · {run.objectiveKind} · {run.scheduleKind} · {run.samplerKind}
          </span>
        </div>
        <div className="header-tags">
          <TagList tags={run.tags} testId="run-tags" onChange={(tags) => edits.update([run.id], { tags })} />
        </div>
        {stopError != null && <ErrorNote error={stopError} title="Could not stop the run:" />}
        {edits.error != null && <ErrorNote error={edits.error} />}
      </div>
      <div className="header-actions">
        {active && (
          <button
            className="btn"
            data-testid="pause-run"
            title="Stop at the next step with a checkpoint; Resume continues on the same curve"
            disabled={stopping !== null}
            onClick={() => stop('pause')}
          >
            {stopping === 'pause' ? 'Pausing…' : 'Pause'}
          </button>
        )}
        {active && (
          <button className="btn btn-danger" data-testid="cancel-run" disabled={stopping !== null} onClick={() => stop('cancel')}>
            {stopping === 'cancel' ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
        <ResumeButton run={run} onRunChanged={onRunChanged} />
        <button
          type="button"
          className="btn btn-small"
          data-testid="clone-config"
          title="Open the new-experiment form with this run's config"
          onClick={() => navigate({ view: 'new', cloneFrom: run.id })}
        >
          Clone config
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="export-bundle"
          disabled={active || edits.busy}
          title={active ? 'A run can be exported once it has finished' : 'Download this run as a bundle another Scorebench imports'}
          onClick={() => edits.exportBundle(run)}
        >
          Export bundle
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="archive-run"
          disabled={edits.busy}
          onClick={() => edits.update([run.id], { archived: !run.archived })}
        >
          {run.archived ? 'Unarchive' : 'Archive'}
        </button>
        <button
          type="button"
          className="btn btn-small btn-danger"
          data-testid="delete-run"
          disabled={active}
          title={active ? 'Cancel the run before deleting it' : 'Delete this run and everything it logged'}
          onClick={() => setConfirmDelete(true)}
        >
          Delete
        </button>
      </div>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete “${run.name}”?`}
          confirmLabel="Delete permanently"
          danger
          busy={edits.busy}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={async () => {
            if (await edits.remove([run.id])) navigate({ view: 'runs' });
            else setConfirmDelete(false);
          }}
        >
          Run #{run.id}, its loss curves, schedule, samples and weights are removed from the database. This cannot be undone.
        </ConfirmDialog>
      )}
    </header>
  );
}
