/** Sweeps: a base config and axes that vary it, expanded into validated run configs. Pure: no I/O. */
export * from './expand';
export * from './schema';
