import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Curve, RunSummary } from '../../../src-shared/api';
import { curvesToCsv } from '../../../src-renderer/src/lib/metrics-export';

/** The export only reads a run's id and name. */
const run = (id: number, name: string) => ({ id, name }) as RunSummary;
const curve = (runId: number, key: string, value: number): Curve => ({ runId, key, points: [{ step: 10, time: 0.5, value }] });

test('metrics CSV: a text cell a spreadsheet would run as a formula starts with a quote mark (OWASP CSV injection)', () => {
  const names = ['=HYPERLINK("http://x","y")', '+1+cmd|calc', '-2+3', '@SUM(A1)', '\tlead', '\rlead'];
  const csv = curvesToCsv(
    names.map((name, i) => run(i + 1, name)),
    names.map((_, i) => curve(i + 1, 'loss', 1)),
  );
  const rows = csv.trimEnd().split('\n').slice(1);
  assert.deepEqual(rows, [
    `1,"'=HYPERLINK(""http://x"",""y"")",loss,10,0.5,1`,
    `2,'+1+cmd|calc,loss,10,0.5,1`,
    `3,'-2+3,loss,10,0.5,1`,
    `4,'@SUM(A1),loss,10,0.5,1`,
    `5,'\tlead,loss,10,0.5,1`,
    `6,"'\rlead",loss,10,0.5,1`,
  ]);
});

test('metrics CSV: negative numbers, and names that are plain numbers, stay numbers', () => {
  const csv = curvesToCsv([run(1, '-1.5'), run(2, 'ok')], [curve(1, 'loss', -0.25), curve(2, 'loss', -1e-7)]);
  assert.deepEqual(csv.trimEnd().split('\n'), ['run_id,run_name,key,step,time,value', '1,-1.5,loss,10,0.5,-0.25', '2,ok,loss,10,0.5,-1e-7']);
});
