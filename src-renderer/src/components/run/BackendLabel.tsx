import type { BackendInfo } from '../../../../src-shared/api';

export function BackendLabel({ backend }: { backend: BackendInfo | null }) {
  if (!backend) return <>backend: not chosen yet</>;
  return (
    <span title={backend.fallbacks.length ? `Fallbacks:\n${backend.fallbacks.join('\n')}` : undefined}>
      backend <strong>{backend.name}</strong> ({backend.package}) · GPU {backend.gpu ? 'yes' : 'no'}
    </span>
  );
}
