import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireExperimentConfig } from '../../../src-shared/config';
import { diffConfigs, flattenConfig } from '../../../src-renderer/src/lib/config-diff';

test('a config flattens to dotted paths of its leaves; arrays are leaves', () => {
  assert.deepEqual(
    [...flattenConfig({ seed: 1, model: { kind: 'mlp', hidden: [16, 16] }, data: { means: [[0, 1]] } })],
    [
      ['seed', '1'],
      ['model.kind', '"mlp"'],
      ['model.hidden', '[16,16]'],
      ['data.means', '[[0,1]]'],
    ],
  );
});

test('the diff lists exactly the fields that differ, with each config’s value, and nothing else', () => {
  const a = requireExperimentConfig({ seed: 1, train: { lr: 0.001 } });
  const b = requireExperimentConfig({ seed: 2, train: { lr: 0.003 } });
  const c = requireExperimentConfig({ seed: 1, train: { lr: 0.001 }, model: { kind: 'mlp', hidden: [8] } });
  assert.deepEqual(diffConfigs([a, b, c]), [
    { path: 'seed', values: ['1', '2', '1'] },
    { path: 'model.hidden', values: ['[128,128,128]', '[128,128,128]', '[8]'] },
    { path: 'train.lr', values: ['0.001', '0.003', '0.001'] },
  ]);
  assert.deepEqual(diffConfigs([a, structuredClone(a)]), []);
  assert.deepEqual(diffConfigs([a]), []);
});

test('a field only some configs have is a difference, shown as missing in the others', () => {
  assert.deepEqual(diffConfigs([{ data: { kind: 'csv', path: 'x.csv' } }, { data: { kind: 'csv' } }]), [
    { path: 'data.path', values: ['"x.csv"', undefined] },
  ]);
});
