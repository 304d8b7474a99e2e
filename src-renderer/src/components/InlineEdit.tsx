import { useState } from 'react';

interface Props {
  value: string;
  label: string;
  onSave(value: string): Promise<unknown> | void;
  onDone(): void;
  testId?: string;
  maxLength?: number;
}

/** A text field that saves on Enter (or leaving it) and cancels on Escape. */
export function InlineEdit({ value, label, onSave, onDone, testId, maxLength = 200 }: Props) {
  const [text, setText] = useState(value);
  const commit = async () => {
    const trimmed = text.trim();
    if (trimmed && trimmed !== value) await onSave(trimmed);
    onDone();
  };
  return (
    <input
      type="text"
      className="inline-edit"
      aria-label={label}
      data-testid={testId}
      value={text}
      maxLength={maxLength}
      autoFocus
      onChange={(e) => setText(e.target.value)}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          void commit();
        } else if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onDone();
        }
      }}
      onBlur={() => void commit()}
    />
  );
}
