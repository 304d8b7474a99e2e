import type { RunStatus } from '../../../src-shared/api';

export function StatusBadge({ status, testId }: { status: RunStatus; testId?: string }) {
  return (
    <span className={`badge badge-${status}`} data-testid={testId} data-status={status}>
      {status}
    </span>
  );
}

export const isActive = (status: RunStatus): boolean => status === 'running' || status === 'queued';
