import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { Writer } from '../lib/db/connector';
import { DatabaseFileError, NodeConnector } from '../lib/db/node-connector';
import { recoverInterrupted } from '../lib/db/recover';

/**
 * Opens a database file for a command that writes to it (created if missing, with its
 * folder): a file that is not a DuckDB database is refused, and work a killed process left
 * running is marked interrupted and its rows deleted (said on stderr). Readers (analyze)
 * leave the file as it is: they analyse complete runs only.
 */
export async function openDatabase(path: string): Promise<NodeConnector> {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw new DatabaseFileError(`${path}: its folder cannot be created: ${(e as Error).message}`);
  }
  const db = await NodeConnector.open(path);
  try {
    for (const note of await recoverInterrupted(db, isRunning)) process.stderr.write(`${path}: ${note}\n`);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

/**
 * Whether the process that started some work may still be writing it. DuckDB lets one
 * process at a time open a file for writing, so this is a second line of defence (for
 * file systems without locks): only a process of this host can be checked.
 */
function isRunning(writer: Writer | null): boolean {
  // Work from before writers were recorded: its process cannot hold the file we opened.
  if (!writer) return false;
  if (writer.host !== hostname()) return true;
  if (writer.pid === process.pid) return true;
  try {
    process.kill(writer.pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
