import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SqlDatabase, SqlTransaction } from '../../../src-main/store/sqlite/database';
import { openSqlite3Database } from '../../../src-main/store/sqlite/sqlite3-driver';
import { tempDbPath } from './fixtures';

async function openWithTable(t: TestContext): Promise<SqlDatabase> {
  const db = await openSqlite3Database(tempDbPath(t));
  t.after(() => db.close());
  await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, x)');
  return db;
}

const values = async (db: SqlDatabase) => (await db.all<{ x: unknown }>('SELECT x FROM t ORDER BY id')).map((r) => r.x);

test('run, get and all bind positional and named parameters and report changes and ids', async (t) => {
  const db = await openWithTable(t);
  assert.deepEqual(await db.run('INSERT INTO t (x) VALUES (?)', ['a']), { changes: 1, lastId: 1 });
  assert.deepEqual(await db.run('INSERT INTO t (x) VALUES ($x)', { $x: 2.5 }), { changes: 1, lastId: 2 });
  assert.deepEqual(await db.run('INSERT INTO t (x) VALUES (?1), (?1)', [Buffer.from([1, 2])]), { changes: 2, lastId: 4 });
  assert.deepEqual(await db.get('SELECT x FROM t WHERE id = ?', [2]), { x: 2.5 });
  assert.equal(await db.get('SELECT x FROM t WHERE id = ?', [99]), undefined);
  assert.deepEqual(await values(db), ['a', 2.5, Buffer.from([1, 2]), Buffer.from([1, 2])]);
  assert.deepEqual(await db.run('UPDATE t SET x = NULL WHERE id > 2'), { changes: 2, lastId: 4 });
});

test('a transaction commits when its callback resolves and rolls back when it throws', async (t) => {
  const db = await openWithTable(t);
  assert.equal(
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (x) VALUES (1)');
      return 'done';
    }),
    'done',
  );
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (x) VALUES (2)');
      throw new Error('changed my mind');
    }),
    /changed my mind/,
  );
  assert.deepEqual(await values(db), [1]);
});

test("a statement issued while another caller's transaction is open runs after it, outside it", async (t) => {
  const db = await openWithTable(t);
  const order: string[] = [];
  const failing = db.transaction(async (tx) => {
    await tx.run("INSERT INTO t (x) VALUES ('in tx')");
    await sleep(20);
    order.push('tx');
    throw new Error('rolled back');
  });
  // Issued while the transaction is open: it must not land inside it (and be rolled back with it).
  const outside = db.run("INSERT INTO t (x) VALUES ('outside')").then(() => order.push('outside'));
  await assert.rejects(failing);
  await outside;
  assert.deepEqual(order, ['tx', 'outside']);
  assert.deepEqual(await values(db), ['outside']);
});

test('a prepared statement is reusable inside its transaction; the handle dies with the transaction', async (t) => {
  const db = await openWithTable(t);
  let escaped: SqlTransaction | undefined;
  await db.transaction(async (tx) => {
    escaped = tx;
    const statement = await tx.prepare('INSERT INTO t (x) VALUES (?)');
    for (const x of [1, 2, 3]) await statement.run([x]);
    await statement.finalize();
  });
  assert.deepEqual(await values(db), [1, 2, 3]);
  assert.throws(() => escaped?.run('DELETE FROM t'), /already finished/);
});

test('SQL errors reject with SQLite’s message and leave the connection usable', async (t) => {
  const db = await openWithTable(t);
  await assert.rejects(db.run('INSERT INTO nowhere VALUES (1)'), /no such table: nowhere/);
  await assert.rejects(
    db.transaction((tx) => tx.prepare('SELEKT 1')),
    /syntax error/,
  );
  await db.run('INSERT INTO t (x) VALUES (1)');
  assert.deepEqual(await values(db), [1]);
});
