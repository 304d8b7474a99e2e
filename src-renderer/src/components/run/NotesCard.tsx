import { useState } from 'react';
import { useRunEdits } from '../../hooks/useRunEdits';
import { ErrorNote } from '../ErrorNote';
import type { RunEditProps } from './RunHeader';

/** Free-text notes about the run: saved with the button or Ctrl/⌘+Enter; Escape drops the edit. */
export function NotesCard({ run, onRunChanged, onRunRemoved }: RunEditProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const edits = useRunEdits(onRunChanged, onRunRemoved);
  const text = draft ?? run.notes;
  const save = async () => {
    if (draft !== null && (await edits.update([run.id], { notes: draft }))) setDraft(null);
  };
  return (
    <section className="card">
      <div className="card-head">
        <h2>Notes</h2>
        {draft !== null && (
          <span className="label-actions">
            <button type="button" className="btn btn-link" onClick={() => setDraft(null)}>
              Discard
            </button>
            <button type="button" className="btn btn-small btn-primary" data-testid="save-notes" disabled={edits.busy} onClick={save}>
              Save notes
            </button>
          </span>
        )}
      </div>
      <textarea
        className="notes"
        data-testid="run-notes"
        aria-label="Notes"
        placeholder="What was this run for? What did you learn?"
        rows={2}
        value={text}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void save();
          } else if (e.key === 'Escape') setDraft(null);
        }}
      />
      {edits.error != null && <ErrorNote error={edits.error} title="Notes:" />}
    </section>
  );
}
