import { ApiError } from '../../../src-shared/api';
import type { FieldIssue } from '../../../src-shared/issues';

/** Field issues as a list of `field: message` items: one rendering for every issue list. */
export function IssueList({ issues, className, testId, alert }: { issues: readonly FieldIssue[]; className?: string; testId?: string; alert?: boolean }) {
  return (
    <ul className={className} data-testid={testId} role={alert ? 'alert' : undefined}>
      {issues.map((i, k) => (
        <li key={k}>
          <code>{i.field}</code>: {i.message}
        </li>
      ))}
    </ul>
  );
}

/** One error as a person reads it: the message, then each field issue as `field: message`. */
export function ErrorNote({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const issues = error instanceof ApiError ? error.issues : undefined;
  return (
    <div className="callout callout-error" role="alert">
      {title && <strong>{title} </strong>}
      {message}
      {issues && issues.length > 0 && <IssueList issues={issues} />}
    </div>
  );
}
