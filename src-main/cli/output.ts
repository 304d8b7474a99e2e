/**
 * The CLI's one way to write and to exit. When stdout or stderr is a pipe, Node writes to it
 * asynchronously: what the reader has not taken yet waits in the process, and process.exit() drops
 * it (`scorebench samples 1 | python3 …` once got 1,739 of 50,000 rows, with exit code 0). So every
 * write returns when its bytes are handed to the OS, and the process exits only after both streams
 * have drained. A reader that goes away (EPIPE: `| head`) ends the output quietly: later writes to
 * that stream are dropped, and the command's own exit code stands.
 */

/** The streams whose reader has gone away (EPIPE); writing to them again would only fail again. */
const gone = new WeakSet<NodeJS.WritableStream>();

function watchForClosedReader(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // A closed reader is the reader's choice, not our failure; anything else is a real I/O error.
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') gone.add(stream);
    else throw err;
  });
}
watchForClosedReader(process.stdout);
watchForClosedReader(process.stderr);

/** Writes `text` and resolves once it is flushed to the OS (or dropped because the reader is gone). */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  if (gone.has(stream) || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    // The callback also runs, with the error, when the write fails; the 'error' listener above decides what that means.
    stream.write(text, () => resolve());
  });
}

/** Writes to stdout (the command's result). */
export function writeOut(text: string): Promise<void> {
  return write(process.stdout, text);
}

/** Writes to stderr (messages for the person at the terminal). */
export function writeErr(text: string): Promise<void> {
  return write(process.stderr, text);
}

/**
 * Waits until everything written to stdout and stderr so far, by anyone, is flushed: an empty
 * write's callback runs after every write queued before it (Writable keeps them in order).
 */
function drained(): Promise<void> {
  return Promise.all([write(process.stdout, ''), write(process.stderr, '')]).then(() => undefined);
}

/** Ends the process with `code` once stdout and stderr have drained. */
export async function exitWhenDrained(code: number): Promise<never> {
  await drained();
  process.exit(code);
}
