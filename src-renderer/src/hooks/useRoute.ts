import { useEffect, useState } from 'react';

/**
 * The main area's view, kept in the URL hash (`#/runs`, `#/new`, `#/new/from/3`, `#/run/3`,
 * `#/compare/1,2`) so reload returns to it. The runs table is the start page.
 */
export type Route =
  | { view: 'runs' }
  | { view: 'new'; cloneFrom?: number }
  | { view: 'run'; runId: number }
  | { view: 'compare'; runIds: number[] };

const positiveInt = (text: string | undefined): number | null => {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : null;
};

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  switch (parts[0]) {
    case 'run': {
      const runId = positiveInt(parts[1]);
      if (runId) return { view: 'run', runId };
      break;
    }
    case 'compare': {
      const runIds = (parts[1] ?? '')
        .split(',')
        .map(positiveInt)
        .filter((id): id is number => id !== null);
      return { view: 'compare', runIds: [...new Set(runIds)] };
    }
    case 'new': {
      const cloneFrom = parts[1] === 'from' ? positiveInt(parts[2]) : null;
      return cloneFrom ? { view: 'new', cloneFrom } : { view: 'new' };
    }
  }
  return { view: 'runs' };
}

export function routeHash(route: Route): string {
  switch (route.view) {
    case 'run':
      return `#/run/${route.runId}`;
    case 'compare':
      return `#/compare/${route.runIds.join(',')}`;
    case 'new':
      return route.cloneFrom ? `#/new/from/${route.cloneFrom}` : '#/new';
    default:
      return '#/runs';
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
