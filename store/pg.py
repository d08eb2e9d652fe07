"""The store on PostgreSQL: the same functions, schema files and views as on the DuckDB file.

`PgStore` offers what the store's functions use of a DuckDB connection (`cursor()`, `execute()`,
`close()`; cursors with `execute`, `fetchone`, `fetchall`, `df` and `register`), so nothing above
this module knows which backend it talks to. Differences it absorbs:

- `?` placeholders become psycopg's `%s` (and a literal `%` is doubled) outside string literals.
- `register(name, frame)` (DuckDB reads a pandas frame in place) becomes a temporary table filled
  with one `COPY ... FROM STDIN` (bulk, not row inserts), dropped when the cursor closes.
- Results come back as pandas frames with DuckDB's dtypes: dates and timestamps as datetime64,
  integers with NULLs as nullable Int64.
- Writes from several processes are ordered by a transaction-scoped advisory lock taken at the
  start of every write (`begin_write`), waiting at most the store's `wait`; then Busy.

Connections are pooled per process (psycopg, autocommit; `BEGIN`/`COMMIT` are sent as written).
A server that cannot be reached, or a wrong password, raises StoreUnreachable naming the host and
database, never the password.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv

from store.submission import Busy

DEFAULT_WAIT = 30.0
_WRITE_LOCK_KEY = 7_346_001  # pg_advisory_xact_lock key: one writer at a time, across processes
_MIGRATION_LOCK_KEY = 7_346_002
_LITERAL = re.compile(r"('(?:[^']|'')*')")
_INTS = {20, 21, 23}  # int8, int2, int4
_FLOATS = {700, 701, 1700}
_DATES = {1082, 1114, 1184}  # date, timestamp, timestamptz
_BOOL = 16


class StoreUnreachable(psycopg.OperationalError):
    """The database cannot be opened: server down, wrong address, wrong password, no such database.

    A psycopg error, so pages that catch a failed write (`history.StoreError`) catch a connection
    lost mid-upload too: nothing was stored, and the officer is told to try again."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"the data store at {where} is not reachable: {reason}")
        self.where = where
        self.reason = reason


def describe(url: str) -> str:
    """host:port/database of a URL, for messages (never the user's password)."""
    parts = urlsplit(url)
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    host = parts.hostname or query.get("host", "localhost")
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}/{parts.path.lstrip('/') or 'postgres'}"


def _reason(exc: BaseException, url: str) -> str:
    """The server's own words, with any password that might appear in them taken out."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    secret = urlsplit(url).password
    return text.replace(secret, "***") if secret else text


def translate(sql: str, with_params: bool) -> str:
    """DuckDB-style `?` placeholders as psycopg's `%s`, outside string literals."""
    if not with_params:
        return sql
    parts = _LITERAL.split(sql)
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("%", "%%").replace("?", "%s")
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].replace("%", "%%")
    return "".join(parts)


def _pg_type(series: pd.Series) -> str:
    kind = series.dtype.kind
    if kind == "b" or str(series.dtype) == "boolean":
        return "boolean"
    if kind in "iu":
        return "bigint"
    if kind == "f":
        return "double precision"
    if kind == "M":
        return "timestamp"
    inferred = pd.api.types.infer_dtype(series, skipna=True)  # object columns: what the values are
    return {
        "integer": "bigint",
        "floating": "double precision",
        "mixed-integer-float": "double precision",
        "decimal": "double precision",
        "boolean": "boolean",
        "datetime64": "timestamp",
        "datetime": "timestamp",
        "date": "date",
        "bytes": "bytea",
    }.get(inferred, "text")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_frame(conn: psycopg.Connection[Any], name: str, frame: Any) -> None:
    """A temporary table `name` holding `frame` (pandas or Arrow), filled by one COPY."""
    if not isinstance(frame, pd.DataFrame):
        frame = frame.to_pandas()
    columns = ", ".join(f"{_ident(str(c))} {_pg_type(frame[c])}" for c in frame.columns)
    conn.execute(f"DROP TABLE IF EXISTS {_ident(name)}")
    conn.execute(f"CREATE TEMPORARY TABLE {_ident(name)} ({columns})")
    if frame.empty:
        return
    # Arrow's CSV writer (C++): a NULL is an unquoted empty field, an empty string a quoted one,
    # which is exactly how PostgreSQL's CSV COPY tells them apart.
    table = pa.Table.from_pandas(frame, preserve_index=False)
    buffer = io.BytesIO()
    pa_csv.write_csv(table, buffer, pa_csv.WriteOptions(include_header=False))
    names = ", ".join(_ident(str(c)) for c in frame.columns)
    with conn.cursor() as cur, cur.copy(f"COPY {_ident(name)} ({names}) FROM STDIN (FORMAT csv)") as copy:
        copy.write(buffer.getvalue())
    conn.execute(f"ANALYZE {_ident(name)}")  # a temporary table has no statistics until analysed: bad join plans


def frame_of(cur: psycopg.Cursor[Any]) -> pd.DataFrame:
    """The result as pandas, typed as DuckDB's `.df()` types it."""
    names = [d.name for d in cur.description or []]
    frame = pd.DataFrame(cur.fetchall(), columns=names)
    for d in cur.description or []:
        column = frame[d.name]
        if d.type_code in _DATES:
            frame[d.name] = pd.to_datetime(column).astype("datetime64[us]")
        elif d.type_code in _INTS:
            frame[d.name] = column.astype("Int64" if column.isna().any() else "int64")
        elif d.type_code in _FLOATS:
            frame[d.name] = pd.to_numeric(column).astype("float64")
        elif d.type_code == _BOOL and column.isna().any():
            frame[d.name] = column.astype("boolean")
    return frame


_ARROW_TYPES = {
    16: pa.bool_(), 20: pa.int64(), 21: pa.int64(), 23: pa.int64(), 700: pa.float64(), 701: pa.float64(),
    1700: pa.float64(), 1082: pa.date32(), 1114: pa.timestamp("us"),
}  # fmt: skip


def arrow_of(conn: psycopg.Connection[Any], sql: str, params: list[object]) -> pa.Table:
    """A query's result as an Arrow table with DuckDB's types, sent by one `COPY ... TO STDOUT` and
    parsed by Arrow's CSV reader (C++), not built as Python tuples. In PostgreSQL's CSV a NULL is an
    unquoted empty field and an empty string a quoted one; only the first is read as null."""
    query = translate(sql, bool(params))
    with conn.cursor() as cur:
        cur.execute(f"SELECT * FROM ({query}) q LIMIT 0", params or None)
        columns = [(d.name, _ARROW_TYPES.get(d.type_code, pa.string())) for d in cur.description or []]
        buffer = io.BytesIO()
        with cur.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)", params or None) as copy:
            for block in copy:
                buffer.write(block)
    schema = pa.schema(columns)
    if not buffer.tell():
        return schema.empty_table()
    buffer.seek(0)
    return pa_csv.read_csv(
        buffer,
        read_options=pa_csv.ReadOptions(column_names=[name for name, _ in columns]),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict(columns), null_values=[""], strings_can_be_null=True,
            quoted_strings_can_be_null=False, true_values=["t"], false_values=["f"],
        ),
    )  # fmt: skip


# Indexes for the benchmark views on PostgreSQL: each view reads one submission's rows of a table
# that holds every extract ever loaded (641,070 values each). Not in a schema file: DuckDB scans its
# columnar tables by row group and would only pay to maintain them on every load.
_INDEXES = {
    "benchmark_value_entry_submission": "benchmark_value_entry (submission_id, measure, la_code)",
    "benchmark_measure_entry_submission": "benchmark_measure_entry (submission_id, measure)",
    "benchmark_area_entry_submission": "benchmark_area_entry (submission_id, la_code)",
    "neighbour_entry_submission": "neighbour_entry (submission_id, la_code)",
    "kpi_benchmark_map_entry_submission": "kpi_benchmark_map_entry (submission_id)",
}


# Tables a bulk write fills: their planner statistics are refreshed after one (see PgStore.analyze).
ANALYSED_TABLES = (
    "observation_entry", "rating_entry", "action_version", "kpi_version", "priority_version", "period_label",
    "submission_log", "submission_event", "benchmark_value_entry", "benchmark_measure_entry",
    "benchmark_area_entry", "neighbour_entry", "kpi_benchmark_map_entry",
)  # fmt: skip

# Only a table's owner may ANALYZE it, and the application's role owns none: this function, made by
# the owner and run with the owner's rights, analyses the tables above and nothing else.
_ANALYZE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION board_analyze(tables text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY tables LOOP
    IF t = ANY (ARRAY[{", ".join(f"'{t}'" for t in ANALYSED_TABLES)}]) THEN
      EXECUTE format('ANALYZE %I', t);
    END IF;
  END LOOP;
END $$;
REVOKE ALL ON FUNCTION board_analyze(text[]) FROM PUBLIC"""


def _ensure_owner_objects(conn: psycopg.Connection[Any]) -> None:
    """Create the missing indexes and the statistics function. The application's role may not (it
    owns no table): then the views still answer, only slower, until the owner opens the database
    once (as for an upgrade)."""
    have = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'").fetchall()}
    try:
        for name, on in _INDEXES.items():
            if name not in have:
                conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
        conn.execute(_ANALYZE_FUNCTION)
    except psycopg.errors.InsufficientPrivilege:
        return


class PgStore:
    """A pool of connections to one PostgreSQL database, with the store's schema brought up to date."""

    dialect = "postgresql"

    def __init__(self, url: str, wait: float = DEFAULT_WAIT, pool_size: int = 8, migrate: bool = True) -> None:
        self.url = url
        self.where = describe(url)
        self.wait = wait
        self._pool_size = pool_size
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        if migrate:
            from store import migrations

            holder = self.acquire()
            try:
                holder.execute("SELECT pg_advisory_lock(%s)", [_MIGRATION_LOCK_KEY])
                try:
                    migrations.migrate(self)
                    _ensure_owner_objects(holder)
                finally:
                    holder.execute("SELECT pg_advisory_unlock(%s)", [_MIGRATION_LOCK_KEY])
            finally:
                self.release(holder)

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=max(1, int(self.wait)))
        except psycopg.Error as exc:
            raise StoreUnreachable(self.where, _reason(exc, self.url)) from None

    def acquire(self) -> psycopg.Connection[Any]:
        with self._lock:
            while self._idle:
                conn = self._idle.pop()
                if not conn.closed and not conn.broken:
                    return conn
        return self._connect()

    def release(self, conn: psycopg.Connection[Any]) -> None:
        if conn.closed or conn.broken:
            return
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            try:
                conn.execute("ROLLBACK")
            except psycopg.Error:
                conn.close()
                return
        with self._lock:
            if len(self._idle) < self._pool_size:
                self._idle.append(conn)
                return
        conn.close()

    def begin_write(self, cur: PgCursor, wait: float) -> None:
        """Called by the write path right after BEGIN: wait for other processes' writes, up to `wait` s."""
        cur.execute(f"SET LOCAL lock_timeout = '{int(wait * 1000)}ms'")
        try:
            cur.execute("SELECT pg_advisory_xact_lock(?)", [_WRITE_LOCK_KEY])
        except psycopg.errors.LockNotAvailable:
            raise Busy() from None
        cur.execute("SET LOCAL lock_timeout = 0")

    def analyze(self, *tables: str) -> None:
        """Refresh the planner's statistics after a bulk write. Autovacuum would, but up to a minute
        later, and meanwhile plans made for a nearly empty table can turn a 0.2 s query into 20 s.
        Run through `board_analyze` so that the application's role may do it too."""
        conn = self.acquire()
        try:
            conn.execute("SELECT board_analyze(%s)", [list(tables)])
        except psycopg.errors.UndefinedFunction:  # a database the owner has not opened since the upgrade
            for table in tables:
                conn.execute(f"ANALYZE {_ident(table)}")  # the owner's tables: a warning, not an error, for others
        finally:
            self.release(conn)

    def snapshot(self, queries: Mapping[str, tuple[str, list[object]]]) -> dict[str, pa.Table]:
        """Each named query's result as Arrow, all read from one consistent snapshot of the store
        (one REPEATABLE READ transaction): for work done in process on what the store holds now,
        such as the upload preview (store/writes.py)."""
        conn = self.acquire()
        try:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            tables = {name: arrow_of(conn, sql, params) for name, (sql, params) in queries.items()}
            conn.execute("COMMIT")
            return tables
        except psycopg.OperationalError as exc:
            raise StoreUnreachable(self.where, _reason(exc, self.url)) from exc
        finally:
            self.release(conn)

    def cursor(self) -> PgCursor:
        return PgCursor(self)

    def execute(self, sql: str, params: list[object] | None = None) -> PgCursor:
        return self.cursor().execute(sql, params)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def __enter__(self) -> PgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PgCursor:
    """One pooled connection for the length of a cursor, so a transaction and its temporary tables
    stay on one session."""

    def __init__(self, store: PgStore) -> None:
        self._store = store
        self._conn: psycopg.Connection[Any] | None = None
        self._cur: psycopg.Cursor[Any] | None = None
        self._temporary: list[str] = []

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            self._conn = self._store.acquire()
        return self._conn

    def register(self, name: str, frame: object) -> PgCursor:
        load_frame(self._connection(), name, frame)
        self._temporary.append(name)
        return self

    def execute(self, sql: str, params: list[object] | Mapping[str, object] | None = None) -> PgCursor:
        conn = self._connection()
        if sql.strip().upper() == "CHECKPOINT":
            sql = "SELECT 1"  # PostgreSQL checkpoints by itself
        self._cur = conn.cursor()
        try:
            self._cur.execute(translate(sql, bool(params)), params or None)
        except psycopg.OperationalError as exc:
            raise StoreUnreachable(self._store.where, _reason(exc, self._store.url)) from exc
        return self

    def _result(self) -> psycopg.Cursor[Any]:
        if self._cur is None:
            raise psycopg.ProgrammingError("no statement has been executed on this cursor")
        return self._cur

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._result().fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._result().fetchall()

    def df(self) -> pd.DataFrame:
        return frame_of(self._result())

    fetchdf = df

    @property
    def description(self) -> Any:
        return self._result().description

    def close(self) -> None:
        conn, self._conn, self._cur = self._conn, None, None
        if conn is None:
            return
        try:
            if conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
                for name in self._temporary:
                    conn.execute(f"DROP TABLE IF EXISTS {_ident(name)}")
            else:
                conn.close()  # a transaction left open: the session (and its temporary tables) goes
        except psycopg.Error:
            conn.close()
        self._temporary = []
        self._store.release(conn)

    def __enter__(self) -> PgCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if self._conn is not None:
            self.close()


def is_url(target: object) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def open_store(url: str, wait: float = DEFAULT_WAIT) -> PgStore:
    """The store in the PostgreSQL database at `url` (migrated at open)."""
    return PgStore(url, wait)


# The documented views for analysts (README, "Views for analysts"): the same names, columns and types
# on both backends, and all an analyst's role may read on PostgreSQL.
ANALYST_VIEWS = (
    "rag_history", "kpi_observations", "submissions", "actions", "priorities", "kpis", "reporting_periods",
    "settings", "benchmark_values", "benchmark_measures", "benchmark_measure_topics", "benchmark_rankings",
    "statistical_neighbours", "la_codes", "kpi_benchmark_map", "accounts", "kpi_commentary", "priority_narrative",
)  # fmt: skip


def roles_sql(
    database: str,
    app: str = "board_app",
    analyst: str = "board_analyst",
    app_password: str = "change-me-app",
    analyst_password: str = "change-me-analyst",
) -> str:
    """SQL for the two login roles, run by the database's owner once the schema exists.

    The application's role may read every table and add rows, never change or remove one: the
    append-only promise (versioned rows, the audit log) is then kept by the database itself. The
    analysts' role reads the documented views and nothing else (no password hashes, no audit log).
    Schema upgrades run as the owner (who made the tables), not as the application's role."""

    def quoted(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    views = ", ".join(ANALYST_VIEWS)
    return f"""CREATE ROLE {app} LOGIN PASSWORD {quoted(app_password)};
CREATE ROLE {analyst} LOGIN PASSWORD {quoted(analyst_password)};
GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {app};
GRANT CONNECT ON DATABASE {database} TO {analyst};
GRANT USAGE ON SCHEMA public TO {app}, {analyst};
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {app};
REVOKE UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM {app};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app};
GRANT EXECUTE ON FUNCTION board_analyze(text[]) TO {app};
GRANT SELECT ON {views} TO {analyst};
"""
