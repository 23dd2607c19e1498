// The D1 binding on bare workerd (npm run serve): D1's statement API over one SQLite Durable Object per database (d1-store.js).

/** A prepared statement: D1's `bind`, `first`, `all`, `run` and `raw`, each one call to the database's object. */
function statement(store, database, sql, params = []) {
  const query = (mode, column) => store.query(database, sql, params, mode, column);
  return {
    sql,
    params,
    bind: (...values) => statement(store, database, sql, values),
    first: (column) => query("first", column),
    all: () => query("all"),
    run: () => query("run"),
    raw: () => query("raw"),
  };
}

/** Called once per binding by workerd with the inner bindings `store` (the d1 worker) and `database` (its name). */
export default function d1(env) {
  const { store, database } = env;
  return {
    prepare: (sql) => statement(store, database, sql),
    // One transaction, as D1's batch is: every statement applies or none does.
    batch: (statements) => store.batch(database, statements.map((s) => ({ sql: s.sql, params: s.params }))),
    exec: (sql) => store.exec(database, sql),
  };
}
