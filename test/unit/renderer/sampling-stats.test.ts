import assert from 'node:assert/strict';
import { test } from 'node:test';
import { samplingStatItems } from '../../../src-renderer/src/lib/sampling-stats';

test('the sampling progress line shows acceptance as a percentage, the step size and the NFE count, in that order', () => {
  const items = samplingStatItems({ nfe: 12345, stepSize: 0.05, acceptanceRate: 0.5734 });
  assert.deepEqual(
    items.map((i) => [i.key, i.label, i.value]),
    [
      ['acceptanceRate', 'acceptance', '57.3%'],
      ['stepSize', 'step', '0.05'],
      ['nfe', 'NFE', '12,345'],
    ],
  );
});

test('a statistic the sampler does not report is left out, not shown as a dash', () => {
  assert.deepEqual(
    samplingStatItems({ nfe: 7 }).map((i) => i.key),
    ['nfe'],
  );
  assert.deepEqual(samplingStatItems({}), []);
});
