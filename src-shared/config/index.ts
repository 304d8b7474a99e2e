/**
 * The experiment config: one JSON document, validated once at the edge (UI form, HTTP, IPC, CLI)
 * and typed everywhere inside. Every section has a documented default, so `{}` is a valid config
 * (the default mixture experiment). Unknown keys are rejected so that a typo never silently
 * falls back to a default. Each section's schema lives in its own module; this one joins them and
 * checks what crosses sections.
 *
 * This module is pure: it runs in the renderer (inline validation), the shell and the engine.
 */
import type { z } from 'zod';
import { formatIssues, zodFieldIssues, type FieldIssue } from '../issues';
import { CROSS_CHECKS } from './cross-checks';
import { knownDataSize } from './data';
import { experimentSectionsSchema, type ExperimentConfig } from './sections';
import { knownScheduleSpan } from './schedule';
import { sizeIssues } from './size-limits';

export * from './data';
export { FLOAT_BOUNDS, MAX_DATA_DIM } from './fields';
export * from './kinds';
export * from './model';
export * from './objective';
export * from './sampler';
export * from './schedule';
export * from './sections';
export * from './size-limits';
export * from './train';

export const experimentConfigSchema = experimentSectionsSchema.superRefine((config, ctx) => {
  for (const check of CROSS_CHECKS) for (const issue of check(config)) ctx.addIssue({ code: 'custom', ...issue });
}).superRefine((config, ctx) => {
  // A mixture's or a toy's size is known here; a CSV's is checked the same way once the engine has read it.
  for (const issue of sizeIssues(config, knownDataSize(config.data), knownScheduleSpan(config.schedule))) ctx.addIssue({ code: 'custom', ...issue });
});

export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;
export type DataConfig = ExperimentConfig['data'];
export type ModelConfig = ExperimentConfig['model'];
export type ObjectiveConfig = ExperimentConfig['objective'];
export type ScheduleConfig = ExperimentConfig['schedule'];
export type TrainConfig = ExperimentConfig['train'];
export type SamplerConfig = ExperimentConfig['sampler'];

/** One problem with a config: the dotted path of the field and why it is wrong. */
export type ConfigIssue = FieldIssue;

export type ConfigResult = { ok: true; config: ExperimentConfig } | { ok: false; issues: ConfigIssue[] };

/** Formats a zod path the way a person writes a JSON field: `data.means[2]`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(config)';
}

/** Validates and fills defaults. Never throws for bad input: the issues name each field at fault. */
export function parseExperimentConfig(input: unknown): ConfigResult {
  const result = experimentConfigSchema.safeParse(input ?? {});
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    issues: zodFieldIssues(result.error, formatFieldPath),
  };
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`invalid config: ${formatIssues(issues)}`);
    this.name = 'ConfigError';
  }
}

/** Like parseExperimentConfig, for callers that treat a bad config as an error. */
export function requireExperimentConfig(input: unknown): ExperimentConfig {
  const result = parseExperimentConfig(input);
  if (!result.ok) throw new ConfigError(result.issues);
  return result.config;
}
