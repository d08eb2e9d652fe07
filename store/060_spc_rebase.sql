-- SPC rebase dates per KPI: from a rebase date the process limits are worked out afresh (e.g. from
-- the month an action was completed), with the reason the officer gave. Append-only and versioned
-- like commentary: every change is a new row with who made it and when (UTC); the current state of
-- a (KPI, date) is its latest row, and a rebase taken away is a new row with active = false.

CREATE SEQUENCE IF NOT EXISTS spc_rebase_id_seq START 1;

CREATE TABLE IF NOT EXISTS spc_rebase_entry (
    entry_id INTEGER PRIMARY KEY,
    kpi_code VARCHAR NOT NULL,
    rebase_from DATE NOT NULL,     -- the first month of the new limits
    reason VARCHAR NOT NULL,
    active BOOLEAN NOT NULL,       -- false: this rebase was taken away
    saved_by VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL
);

CREATE OR REPLACE VIEW spc_rebases AS
SELECT kpi_code, rebase_from, reason, saved_by, saved_at, entry_id
FROM (
    SELECT *, row_number() OVER (PARTITION BY kpi_code, rebase_from ORDER BY entry_id DESC) AS n
    FROM spc_rebase_entry) ranked
WHERE n = 1 AND active;
