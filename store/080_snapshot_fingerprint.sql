-- An order-free fingerprint of each table of a stored LAIT extract (store/lait_fingerprint.py), kept
-- with its submission, so a re-saved extract holding the same rows is recognised without inserting
-- it again (issue 11: the decision used to hold the write lock for about 15 s on PostgreSQL).
-- Append-only like the rest of the store. An extract stored before this table existed has no row
-- here: it is then compared row by row, as before, and its fingerprint is added once it has been.

CREATE TABLE IF NOT EXISTS snapshot_fingerprint (
    submission_id INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,     -- benchmark_value_entry | benchmark_measure_entry | ...
    method VARCHAR NOT NULL,         -- how it was computed; compared only with one made the same way
    fingerprint VARCHAR NOT NULL     -- 'rows:xor:sum' of the 64-bit hashes of the table's rows
);
