import { createContext, useCallback, useLayoutEffect, useState } from 'react';

export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'scorebench.theme';

/** The theme in effect, for what draws its own colours (canvas galleries, exported images). */
export const ThemeContext = createContext<Theme>('light');

/** The theme chosen before (this browser profile), else the system's. */
export function initialTheme(): Theme {
  const stored = window.localStorage?.getItem(STORAGE_KEY);
  if (stored === 'light' || stored === 'dark') return stored;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The stylesheet keys every colour on `data-theme` of the root element. */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

/** The current theme and a toggle; the choice is remembered. */
export function useTheme(): { theme: Theme; toggle(): void } {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  // A layout effect: it runs before any child's effect, so canvases redraw with the new colours.
  useLayoutEffect(() => applyTheme(theme), [theme]);
  const toggle = useCallback(() => {
    setTheme((prev) => {
      const next = prev === 'dark' ? 'light' : 'dark';
      window.localStorage?.setItem(STORAGE_KEY, next);
      return next;
    });
  }, []);
  return { theme, toggle };
}
