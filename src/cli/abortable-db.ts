import type { Connector } from '../lib/db/connector';
import { CancelledError } from '../lib/runner/pool';

/**
 * The database for a read-only phase that a signal must stop (Table 1 of a huge cohort, a
 * run's summary, an analysis): once `signal` is aborted no further statement starts (the
 * running one is interrupted by the command's interrupt handler). Only for reads: a
 * cleanup after the signal must still reach the database, so writers get the plain one.
 */
export function abortableReads(db: Connector, signal: AbortSignal): Connector {
  const check = () => {
    if (signal.aborted) throw new CancelledError();
  };
  return {
    kind: db.kind,
    writer: db.writer,
    query: async (sql) => (check(), db.query(sql)),
    exec: async (sql) => (check(), db.exec(sql)),
    insertArrow: async (table, data) => (check(), db.insertArrow(table, data)),
    close: () => db.close(),
    interrupt: () => db.interrupt?.()
  };
}
