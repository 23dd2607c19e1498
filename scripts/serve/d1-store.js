// The databases behind the D1 binding on bare workerd: a SQLite Durable Object per database, migrated from migrations/ when it wakes.
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";

const result = (cursor, mode, column) => {
  if (mode === "raw") return cursor.raw().toArray();
  const rows = cursor.toArray();
  if (mode === "first") return column === undefined ? (rows[0] ?? null) : (rows[0]?.[column] ?? null);
  return { success: true, results: mode === "all" ? rows : [], meta: { changes: cursor.rowsWritten, rows_read: cursor.rowsRead, rows_written: cursor.rowsWritten } };
};

export class D1Store extends DurableObject {
  #migrated = false;

  /** Apply the database's migrations not yet recorded, as `wrangler d1 migrations apply` does (once per wake). */
  #sql(database) {
    const sql = this.ctx.storage.sql;
    if (this.#migrated) return sql;
    sql.exec("CREATE TABLE IF NOT EXISTS d1_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
    const done = new Set(sql.exec("SELECT name FROM d1_migrations").toArray().map((row) => row.name));
    for (const { name, sql: text } of this.env.MIGRATIONS[database] ?? []) {
      if (done.has(name)) continue;
      this.ctx.storage.transactionSync(() => {
        sql.exec(text);
        sql.exec("INSERT INTO d1_migrations (name, applied_at) VALUES (?, ?)", name, Date.now());
      });
    }
    this.#migrated = true;
    return sql;
  }

  query(database, sql, params, mode, column) {
    return result(this.#sql(database).exec(sql, ...params), mode, column);
  }

  batch(database, statements) {
    const sql = this.#sql(database);
    return this.ctx.storage.transactionSync(() => statements.map((s) => result(sql.exec(s.sql, ...s.params), "all")));
  }

  exec(database, sql) {
    this.#sql(database).exec(sql);
    return { count: 1, duration: 0 };
  }
}

/** The d1 worker's entry point the bindings call: each database is the object of that name. */
export class Database extends WorkerEntrypoint {
  #db(name) {
    return this.env.STORE.getByName(name);
  }
  query(database, sql, params, mode, column) {
    return this.#db(database).query(database, sql, params, mode, column);
  }
  batch(database, statements) {
    return this.#db(database).batch(database, statements);
  }
  exec(database, sql) {
    return this.#db(database).exec(database, sql);
  }
}

export default { fetch: () => new Response(null, { status: 404 }) };
