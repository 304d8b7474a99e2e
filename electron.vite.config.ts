import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { CSP_META } from './src-shared/transport';

/** Writes the one Content-Security-Policy (src-shared/transport.ts) into index.html's meta tag. */
const cspMeta = (): Plugin => ({
  name: 'scorebench-csp-meta',
  transformIndexHtml: (html) => {
    if (!html.includes('%SCOREBENCH_CSP%')) throw new Error('index.html lost its %SCOREBENCH_CSP% placeholder');
    return html.replace('%SCOREBENCH_CSP%', CSP_META);
  },
});

/**
 * One build for every runtime: the Electron main process, the engine process (a utilityProcess
 * under Electron, a Node child process in browser mode and the CLI), the browser-mode server and
 * the CLI all come from `src-main`; the preload and the React renderer are built beside them.
 * Dependencies stay external (TensorFlow.js and sqlite3 load their own files at run time).
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          main: resolve(__dirname, 'src-main/electron/main.ts'),
          engine: resolve(__dirname, 'src-main/engine-process/main.ts'),
          cli: resolve(__dirname, 'src-main/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      rollupOptions: {
        input: { preload: resolve(__dirname, 'src-main/electron/preload.ts') },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
    plugins: [react(), cspMeta()],
  },
});
