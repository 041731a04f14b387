// Last-seen time and installed version of devices, written in batches: check-ins note them in
// memory and a timer writes everything noted about once a second, 250 devices a statement. On a clean
// shutdown the buffer is flushed; a kill -9 loses at most one interval of last-seen data, which is
// not anyone's acknowledged write (the next check-in of each device notes it again).
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import { recordLastSeen } from '../../fleet/devices/store.ts';

export type LastSeenBuffer = {
  note(deviceId: string, at: Date, installedVersion: string): void;
  /** Writes what was noted; resolves when it is written. */
  flush(): Promise<void>;
  /** Stops the timer and flushes. */
  stop(): Promise<void>;
  /** Statements written so far (for tests and diagnostics). */
  readonly statements: number;
  readonly pending: number;
};

export const flushIntervalMs = 1000;
const maxRowsPerStatement = 250;

export function lastSeenBuffer(db: Db, log: Logger, intervalMs = flushIntervalMs): LastSeenBuffer {
  let noted = new Map<string, { at: Date; version: string }>();
  let statements = 0;
  let running: Promise<void> = Promise.resolve();

  // In chunks, with a turn of the event loop between them: PGlite runs a statement on the server's
  // own thread, and one update of a few thousand rows would hold every check-in behind it.
  async function write(batch: Map<string, { at: Date; version: string }>) {
    const entries = [...batch];
    for (let start = 0; start < entries.length; start += maxRowsPerStatement) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      statements++;
      const chunk = entries.slice(start, start + maxRowsPerStatement);
      await recordLastSeen(
        db,
        chunk.map(([id, seen]) => ({ id, ...seen })),
      );
    }
  }

  const flush = () => {
    const batch = noted;
    noted = new Map();
    // One flush at a time, in order, so a later note never loses to an earlier one.
    running = running.then(() =>
      write(batch).catch((error) => {
        log.warn({ err: error, devices: batch.size }, 'last-seen flush failed; kept for the next one');
        // Put them back under anything noted since, which is newer.
        for (const [id, seen] of batch) if (!noted.has(id)) noted.set(id, seen);
      }),
    );
    return running;
  };

  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();

  return {
    note(deviceId, at, installedVersion) {
      noted.set(deviceId, { at, version: installedVersion });
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
    get statements() {
      return statements;
    },
    get pending() {
      return noted.size;
    },
  };
}
