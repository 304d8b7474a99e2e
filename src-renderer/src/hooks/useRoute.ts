import { useEffect, useState } from 'react';

/** The main area's view, kept in the URL hash (`#/new`, `#/run/3`, `#/compare/1,2`) so reload returns to it. */
export type Route = { view: 'new' } | { view: 'run'; runId: number } | { view: 'compare'; runIds: number[] };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'run') {
    const runId = Number(parts[1]);
    if (Number.isInteger(runId) && runId > 0) return { view: 'run', runId };
  }
  if (parts[0] === 'compare') {
    const runIds = (parts[1] ?? '')
      .split(',')
      .map(Number)
      .filter((id) => Number.isInteger(id) && id > 0);
    return { view: 'compare', runIds: [...new Set(runIds)] };
  }
  return { view: 'new' };
}

export function routeHash(route: Route): string {
  switch (route.view) {
    case 'run':
      return `#/run/${route.runId}`;
    case 'compare':
      return `#/compare/${route.runIds.join(',')}`;
    default:
      return '#/new';
  }
}

export function navigate(route: Route): void {
  window.location.hash = routeHash(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
