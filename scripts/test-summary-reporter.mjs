// A node:test reporter (https://nodejs.org/api/test.html#custom-reporters) that writes one JSON line
// per finished test: { outcome: 'pass' | 'fail' | 'skip' | 'todo', file, name, error? }. run-tests.mjs
// reads it to end a long run with the failing tests by name. Suites and parents that failed only
// because a subtest did are left out: the subtest is the one to name.

export default async function* summaryReporter(source) {
  // The names of the tests being run, by nesting level: a subtest's name is its ancestors' › its own.
  const open = [];
  for await (const event of source) {
    const { type, data } = event;
    if (type === 'test:start') {
      open.length = data.nesting;
      open[data.nesting] = data.name;
      continue;
    }
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    if (data.details?.type === 'suite') continue;
    const error = data.details?.error;
    if (type === 'test:fail' && error?.failureType === 'subtestsFailed') continue;
    const name = [...open.slice(0, data.nesting), data.name].join(' › ');
    const outcome = type === 'test:fail' ? 'fail' : data.skip !== undefined ? 'skip' : data.todo !== undefined ? 'todo' : 'pass';
    // The error's message on one line, clipped: enough to recognise it by (the log has all of it).
    const message = error ? String(error.cause?.message ?? error.message ?? error) : undefined;
    const cause = message
      ?.split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join(' ')
      .slice(0, 160);
    yield `${JSON.stringify({ outcome, file: data.file ?? null, name, error: cause })}\n`;
  }
}
