// tests/bench/duckdb-load.mjs: DuckDB's bare load of a DIDS CSV file, the
// peer tests/bench/run compares `didq check` with.  Every column as text
// (no type sniffing), no header, one thread per core (or THREADS).
//
//   node tests/bench/duckdb-load.mjs FILE [THREADS]
//
// Prints "records seconds" (the seconds of the CREATE TABLE alone).  Needs
// the npm package @duckdb/node-api, looked up from the directory DUCKDB_DIR
// (tests/bench/run installs it in tests/bench/cache/node, which git
// ignores), else from this file's directory.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const base = process.env.DUCKDB_DIR ? `${resolve(process.env.DUCKDB_DIR)}/` : import.meta.url;
const { DuckDBInstance } = await import(
    pathToFileURL(createRequire(base).resolve('@duckdb/node-api')).href);

const file = process.argv[2];
if (!file) {
    console.error('usage: node duckdb-load.mjs FILE [THREADS]');
    process.exit(64);
}
const threads = Number(process.argv[3] || availableParallelism());
const cols = Array.from({ length: 18 }, (_, i) => `'c${i + 1}': 'VARCHAR'`).join(', ');
const quoted = `'${file.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();
const t0 = process.hrtime.bigint();
await con.run(`CREATE TABLE t AS SELECT * FROM read_csv(${quoted}, header = false, ` +
              `all_varchar = true, columns = {${cols}})`);
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const reader = await con.runAndReadAll('SELECT count(*) FROM t');
console.log(`${reader.getRows()[0][0]} ${secs.toFixed(3)}`);
