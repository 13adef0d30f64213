import { acquire, acquireSync, LockError } from '@ports/lock';
import { RegistryError } from './errors.js';
import { type RegistryEntry, type RegistryState, serializeRegistry } from './format.js';
import { type Loaded, loadRegistry } from './load.js';
import type { ResolvedOptions } from './options.js';
import {
  type HeldRegistry,
  readRegistryHeldSync,
  readRegistryTextSync,
  type StoreOptions,
  storeOptions,
  writeRegistryTextSync,
} from './store.js';
import { createTempFile, discardTempFile, removeOrphanTempFiles, type TempFile } from './temp-files.js';

/** What an operation inside a transaction decided. */
export interface Outcome<R> {
  readonly result: R;
  /** The new entry list, or `undefined` to leave the file as it is. */
  readonly instances?: RegistryEntry[];
  /** The new top-level fields besides `instances`, when the operation changes them. */
  readonly otherFields?: RegistryState['otherFields'];
  /** Undoes what the operation did outside the file (a bind) when the file cannot be written. */
  readonly onCommitFailed?: () => void | Promise<void>;
}

/** An operation on the registry as loaded under the lock. */
export type Operation<R> = (loaded: Loaded) => Outcome<R> | Promise<Outcome<R>>;

/**
 * The registry file under its lock: every change is a transaction that takes the lock, loads the file
 * (see {@link loadRegistry}), runs one operation and writes its outcome atomically before the lock is
 * released. What loading repaired is written even when the operation fails.
 */
export class RegistryFile {
  /** How the store reaches the file. */
  readonly store: StoreOptions;
  readonly #options: ResolvedOptions;
  /** Whether this object looked for temp files that dead writers left behind. */
  #sweptTempFiles = false;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.store = storeOptions(options);
  }

  /** Runs `operation` in a transaction; aborting `signal` stops the wait for the lock. */
  async transaction<R>(signal: AbortSignal | undefined, operation: Operation<R>): Promise<R> {
    const options = this.#options;
    if (!this.#sweptTempFiles) {
      this.#sweptTempFiles = true;
      removeOrphanTempFiles(options.file);
    }
    // The file the new registry is written to is created before the lock (see createTempFile); if
    // that fails here, the write under the lock tries again and reports the error.
    let temp: TempFile | undefined = tryCreateTempFile(options.file);
    let lock: Awaited<ReturnType<typeof acquire>>;
    try {
      lock = await acquire(options.lockFile, {
        staleMs: options.lockStaleMs,
        timeoutMs: options.lockTimeoutMs,
        signal,
        // Allocate and release come back to back; a wider bypass than the lock's 5 ms saves hand-overs
        // (~15% more cycles/s with 8 busy processes). Past 15 ms it only makes the waiters' wait longer:
        // 20 ms had the same cycles/s and a 2-3 ms higher allocate p99 (interleaved runs).
        bypassMs: 15,
      });
    } catch (error) {
      if (temp) discardTempFile(temp);
      throw lockDirectoryError(this.store, error) ?? error;
    }
    // The registry as read stays open until the lock is released: see readRegistryHeldSync.
    let held: HeldRegistry | undefined;
    let writerExited = false;
    try {
      held = readRegistryHeldSync(this.store);
      const loaded = loadRegistry(held.text, options, this.store);
      writerExited = loaded.exited;
      // Synchronous I/O on purpose: the critical section is a few small-file syscalls, and each
      // await would hand the lock's hold time to the thread pool and event loop.
      const write = (instances: RegistryEntry[], otherFields = loaded.state.otherFields): void => {
        const prepared = temp;
        temp = undefined; // renamed into place or removed by the write, whatever happens
        writeRegistryTextSync(
          this.store,
          serializeRegistry({ instances, otherFields }),
          () => lock.assertHeld(),
          prepared,
        );
      };
      let outcome: Outcome<R>;
      try {
        outcome = await operation(loaded);
      } catch (error) {
        // What loading changed stays: a file whose bad entries were moved aside is rewritten with
        // the valid ones, even when the operation itself fails.
        if (loaded.dirty) {
          try {
            write(loaded.state.instances);
          } catch {
            // The operation's own error is the one to report.
          }
        }
        throw error;
      }
      const instances = outcome.instances ?? (loaded.dirty ? loaded.state.instances : undefined);
      if (instances) {
        try {
          write(instances, outcome.otherFields);
        } catch (error) {
          await outcome.onCommitFailed?.();
          throw error;
        }
      }
      return outcome.result;
    } finally {
      try {
        await lock.release();
      } finally {
        held?.close();
        if (temp) discardTempFile(temp);
        // A writer killed mid-write leaves its temp file behind; its pid and start time name it.
        if (writerExited) removeOrphanTempFiles(options.file);
      }
    }
  }

  /**
   * A synchronous transaction, for `process.on('exit')` where nothing asynchronous runs: waits at most
   * `timeoutMs` for the lock, blocking. `operation` must not return a promise.
   */
  transactionSync<R>(timeoutMs: number, operation: (loaded: Loaded) => Outcome<R>): R {
    const options = this.#options;
    const lock = acquireSync(options.lockFile, { staleMs: options.lockStaleMs, timeoutMs });
    try {
      // Loaded as every transaction loads it: bad files and entries are saved aside, never just dropped.
      const loaded = loadRegistry(readRegistryTextSync(this.store), options, this.store);
      const outcome = operation(loaded);
      const instances = outcome.instances ?? (loaded.dirty ? loaded.state.instances : undefined);
      if (instances) {
        writeRegistryTextSync(
          this.store,
          serializeRegistry({ instances, otherFields: outcome.otherFields ?? loaded.state.otherFields }),
          () => lock.assertHeld(),
        );
      }
      return outcome.result;
    } finally {
      lock.release();
    }
  }
}

/** The registry's wording of a lock file that cannot be created (its directory is missing or not writable). */
function lockDirectoryError(store: StoreOptions, error: unknown): RegistryError | undefined {
  if (!(error instanceof LockError) || error.code !== 'ELOCKDIR') return undefined;
  return new RegistryError(
    'EREGISTRYIO',
    `registry ${store.file} cannot be used: ${error.message}; to keep it elsewhere, choose another file with ${store.fileHint}.`,
    { cause: error },
  );
}

function tryCreateTempFile(file: string): TempFile | undefined {
  try {
    return createTempFile(file);
  } catch {
    return undefined;
  }
}
