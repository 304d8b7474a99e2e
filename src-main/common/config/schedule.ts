/** The `schedule` section: the noise levels σ_1 > … > σ_L. */
import { z } from 'zod';
import { positive, positiveInt } from './fields';

export const geometricScheduleSchema = z
  .strictObject({
    kind: z.literal('geometric'),
    sigmaMin: positive('sigmaMin').default(0.05),
    sigmaMax: positive('sigmaMax').default(10),
    levels: positiveInt('levels').max(10_000, 'levels must be ≤ 10,000').default(10),
  })
  .refine((s) => s.sigmaMin < s.sigmaMax, { path: ['sigmaMin'], message: 'sigmaMin must be < sigmaMax' });

export const scheduleSchema = z.discriminatedUnion('kind', [geometricScheduleSchema]);
