import { useState } from 'react';

/** A run's tags as chips; with onChange, each chip has a remove button and a field adds tags on Enter. */
export function TagList({ tags, onChange, testId }: { tags: readonly string[]; onChange?(tags: string[]): void; testId?: string }) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const tag = draft.trim();
    if (tag && !tags.includes(tag)) onChange?.([...tags, tag]);
    setDraft('');
  };
  return (
    <span className="tags" data-testid={testId}>
      {tags.map((tag) => (
        <span key={tag} className="tag" data-tag={tag}>
          {tag}
          {onChange && (
            <button type="button" className="chip-x" aria-label={`Remove tag ${tag}`} onClick={() => onChange(tags.filter((t) => t !== tag))}>
              ×
            </button>
          )}
        </span>
      ))}
      {onChange && (
        <input
          type="text"
          className="tag-input"
          aria-label="Add a tag"
          placeholder="+ tag"
          maxLength={60}
          value={draft}
          data-testid={testId ? `${testId}-input` : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            } else if (e.key === 'Escape') setDraft('');
          }}
        />
      )}
    </span>
  );
}
