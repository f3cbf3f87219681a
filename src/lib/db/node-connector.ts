import {
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBResultReader,
  listValue,
  type DuckDBListType,
  type DuckDBAppender,
  type DuckDBType,
  type DuckDBValue
} from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { Bool, Float64, Int32, Table, Utf8, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import type { Connector, ReadOnlySession } from './connector';

/** A file given as a database that is not one (or cannot be used as one). */
export class DatabaseFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseFileError';
  }
}

/** DuckDB database files hold the magic bytes "DUCK" at offset 8, after a checksum. */
const MAGIC = { offset: 8, bytes: 'DUCK' };

/**
 * Whether `path` exists; throws a DatabaseFileError when it exists but is not a DuckDB
 * database file (a directory, an empty file, a CSV or Parquet file, …).
 */
function checkDatabaseFile(path: string): boolean {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new DatabaseFileError(`${path} is a directory, not a DuckDB database file`);
    size = stat.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if (e instanceof DatabaseFileError) throw e;
    throw new DatabaseFileError(`${path} cannot be read: ${(e as Error).message}`);
  }
  if (size === 0) {
    throw new DatabaseFileError(
      `${path} is an empty file, not a DuckDB database; delete it to create a database there, or choose another --db file`
    );
  }
  const head = Buffer.alloc(MAGIC.offset + MAGIC.bytes.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1', MAGIC.offset) !== MAGIC.bytes) {
    throw new DatabaseFileError(
      `${path} is not a DuckDB database file (is it a CSV or Parquet file?); twinbench stores its ` +
        `results only in a DuckDB database: choose another --db file`
    );
  }
  return true;
}

/** DuckDB's vector size: the most rows a data chunk holds. */
const CHUNK_ROWS = 2048;

/**
 * Native DuckDB for Node (CLI, tests, benchmarks). Inserts copy typed-array columns
 * straight into DuckDB data chunks, so bulk loads cost a memcpy per column per 2048 rows.
 */
export class NodeConnector implements Connector {
  readonly kind = 'node' as const;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection
  ) {}

  /** This process, recorded with the work it starts (see db/recover.ts). */
  readonly writer = { pid: process.pid, host: hostname() };

  /**
   * Opens a database file (created if missing) or an in-memory database. An existing
   * file must be a DuckDB database: DuckDB would open a CSV or Parquet file as a
   * database of views, and whatever was then "stored" would be lost without an error.
   */
  static async open(path = ':memory:', options: { readOnly?: boolean } = {}): Promise<NodeConnector> {
    const exists = path !== ':memory:' && checkDatabaseFile(path);
    // Read-only (the SQL console): DuckDB itself refuses every write, and a missing file is
    // not created.
    if (options.readOnly && !exists) throw new DatabaseFileError(`${path}: no such database file`);
    try {
      const instance = await DuckDBInstance.create(
        path,
        options.readOnly ? { access_mode: 'READ_ONLY' } : {}
      );
      const conn = await instance.connect();
      return new NodeConnector(instance, conn);
    } catch (e) {
      if (!exists) throw e;
      const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      const lock = /Conflicting lock is held in (.*)$/.exec(first);
      throw new DatabaseFileError(
        lock
          ? `${path} is in use by another process (${lock[1].trim()}); wait for it to finish or choose another --db file`
          : `${path} cannot be opened as a DuckDB database: ${first}`
      );
    }
  }

  /** Stops the statement running now (a long query after Ctrl-C); later ones run as usual. */
  interrupt(): void {
    this.conn.interrupt();
  }

  async query(sql: string): Promise<Table> {
    return arrowTable(await this.conn.runAndReadAll(sql));
  }

  async readOnlySession(): Promise<ReadOnlySession> {
    const conn = await this.instance.connect();
    try {
      await conn.run('BEGIN TRANSACTION READ ONLY');
    } catch (e) {
      conn.closeSync();
      throw e;
    }
    return {
      query: async (sql) => {
        const statement = await conn.prepare(sql);
        try {
          return arrowTable(await statement.runAndReadAll());
        } finally {
          statement.destroySync();
        }
      },
      close: async () => {
        try {
          await conn.run('ROLLBACK');
        } finally {
          conn.closeSync();
        }
      }
    };
  }

  async exec(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  async insertArrow(table: string, data: Table): Promise<void> {
    const appender = await this.conn.createAppender(table);
    try {
      appendArrow(appender, data);
      appender.flushSync();
    } catch (e) {
      // Closing after a failed append fails too (same full disk): report the first error.
      try {
        appender.closeSync();
      } catch {
        /* the error above is the one to report */
      }
      throw e;
    }
    appender.closeSync();
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** A query's result as an Arrow table of JS values, as duckdb-wasm gives it. */
function arrowTable(reader: DuckDBResultReader): Table {
  const names = reader.deduplicatedColumnNames();
  const columns = reader.getColumnsJS();
  const vectors: Record<string, Vector> = {};
  names.forEach((name, i) => {
    const type = arrowTypeFor(reader.columnTypeId(i));
    // A result without rows has no data chunks, and then no column arrays at all; its
    // columns and types still come from the result, as duckdb-wasm's do.
    const values = columns[i] ?? [];
    vectors[name] = vectorFromArray(values.map(toArrowValue(type)), type);
  });
  return new Table(vectors);
}

function arrowTypeFor(id: DuckDBTypeId): DataType {
  switch (id) {
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return new Int32();
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      // As duckdb-wasm with castBigIntToDouble/castDecimalToDouble: plain JS numbers.
      return new Float64();
    case DuckDBTypeId.BOOLEAN:
      return new Bool();
    default:
      return new Utf8();
  }
}

function toArrowValue(type: DataType): (v: unknown) => unknown {
  if (type instanceof Utf8) {
    return (v) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));
  }
  if (type instanceof Float64 || type instanceof Int32) {
    return (v) => (v === null || v === undefined ? null : Number(v));
  }
  return (v) => v ?? null;
}

/** Copies Arrow columns into data chunks of the appender's column types. */
function appendArrow(appender: DuckDBAppender, data: Table): void {
  const nCols = appender.columnCount;
  if (data.numCols !== nCols) {
    throw new Error(`insert: the table has ${nCols} columns but the data has ${data.numCols}`);
  }
  const types: DuckDBType[] = [];
  for (let c = 0; c < nCols; c++) types.push(appender.columnType(c));
  const columns = types.map((_, c) => data.getChildAt(c)!);
  const chunk = DuckDBDataChunk.create(types);
  for (let start = 0; start < data.numRows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, data.numRows - start);
    chunk.reset();
    chunk.rowCount = n;
    for (let c = 0; c < nCols; c++) fillColumn(chunk, c, types[c], columns[c], start, n);
    appender.appendDataChunk(chunk);
  }
}

/** A contiguous typed array for rows [start, start+n) of a null-free primitive column. */
function typedSlice(col: Vector, start: number, n: number): ArrayLike<number> | undefined {
  if (col.nullCount > 0 || col.data.length !== 1) return undefined;
  const values = col.data[0].values as unknown;
  if (!ArrayBuffer.isView(values) || values instanceof BigInt64Array || values instanceof BigUint64Array)
    return undefined;
  return (values as Float64Array).subarray(start, start + n);
}

/** DuckDB's list entry: (offset, length) as two uint64s. */
const listEntries = new BigUint64Array(2 * CHUNK_ROWS);

/**
 * Copies rows [start, start+n) of a null-free Arrow List<Float64> column into a DuckDB
 * LIST(DOUBLE) vector: the entries, then every value with one memcpy. (The vector
 * classes of @duckdb/node-api would set each value through JS.) Returns false when the
 * column is not of that form.
 */
function fillDoubleList(
  chunk: DuckDBDataChunk,
  c: number,
  type: DuckDBType,
  col: Vector,
  start: number,
  n: number
) {
  if (type.typeId !== DuckDBTypeId.LIST || (type as DuckDBListType).valueType.typeId !== DuckDBTypeId.DOUBLE)
    return false;
  if (col.nullCount > 0 || col.data.length !== 1) return false;
  const data = col.data[0];
  const child = data.children[0];
  const values = child?.values as unknown;
  if (!(values instanceof Float64Array) || child.nullCount > 0 || !data.valueOffsets) return false;
  const offsets = data.valueOffsets as Int32Array;
  const first = offsets[data.offset + start];
  for (let i = 0; i < n; i++) {
    const o = offsets[data.offset + start + i];
    listEntries[2 * i] = BigInt(o - first);
    listEntries[2 * i + 1] = BigInt(offsets[data.offset + start + i + 1] - o);
  }
  const total = offsets[data.offset + start + n] - first;
  const vector = bindings.data_chunk_get_vector(chunk.chunk, c);
  bindings.copy_data_to_vector(vector, 0, listEntries.buffer, 0, n * 16);
  bindings.list_vector_reserve(vector, total);
  bindings.list_vector_set_size(vector, total);
  const from = values.subarray(child.offset + first, child.offset + first + total);
  bindings.copy_data_to_vector(
    bindings.list_vector_get_child(vector),
    0,
    from.buffer as ArrayBuffer,
    from.byteOffset,
    from.byteLength
  );
  return true;
}

function fillColumn(
  chunk: DuckDBDataChunk,
  c: number,
  type: DuckDBType,
  col: Vector,
  start: number,
  n: number
) {
  if (fillDoubleList(chunk, c, type, col, start, n)) return;
  const vector = chunk.getColumnVector(c) as unknown as { items?: unknown; flush(): void };
  const slice = typedSlice(col, start, n);
  const id = type.typeId;
  const sameWidth =
    slice &&
    vector.items &&
    ((id === DuckDBTypeId.DOUBLE && slice instanceof Float64Array) ||
      (id === DuckDBTypeId.INTEGER && slice instanceof Int32Array) ||
      (id === DuckDBTypeId.TINYINT && slice instanceof Int8Array) ||
      (id === DuckDBTypeId.SMALLINT && slice instanceof Int16Array));
  if (sameWidth) {
    (vector.items as Float64Array).set(slice as Float64Array);
    vector.flush();
    return;
  }
  const values: DuckDBValue[] = new Array(n);
  const asNumber = id !== DuckDBTypeId.VARCHAR && id !== DuckDBTypeId.BOOLEAN;
  const isBig = id === DuckDBTypeId.BIGINT || id === DuckDBTypeId.HUGEINT || id === DuckDBTypeId.UBIGINT;
  for (let i = 0; i < n; i++) {
    const v = col.get(start + i) as unknown;
    if (v === null || v === undefined) values[i] = null;
    else if (isBig) values[i] = BigInt(Math.round(Number(v)));
    else if (asNumber && typeof v !== 'number' && typeof v !== 'bigint') values[i] = Number(v);
    else if (id === DuckDBTypeId.VARCHAR) values[i] = String(v);
    else if (id === DuckDBTypeId.LIST) values[i] = listValue(Array.from(v as Iterable<DuckDBValue>));
    else values[i] = v as DuckDBValue;
  }
  chunk.setColumnValues(c, values);
}
