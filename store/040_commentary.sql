-- Words officers write around the figures: a commentary per KPI per month, and the edited
-- narrative per priority for a pair of reporting periods. Append-only like the rest of the
-- store: every save is a new row with who saved it and when (UTC); the current text is the
-- latest row for its key, and every earlier version stays readable. Saving '' clears the text.

CREATE SEQUENCE IF NOT EXISTS commentary_id_seq START 1;

CREATE TABLE IF NOT EXISTS kpi_commentary_entry (
    entry_id INTEGER PRIMARY KEY,
    kpi_code VARCHAR NOT NULL,
    period DATE NOT NULL,
    text VARCHAR NOT NULL,
    saved_by VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS narrative_entry (
    entry_id INTEGER PRIMARY KEY,
    priority INTEGER NOT NULL,
    period DATE NOT NULL,          -- the current period of the pack
    compare_period DATE NOT NULL,  -- the period it is compared with
    text VARCHAR NOT NULL,
    saved_by VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL
);

CREATE OR REPLACE VIEW kpi_commentary AS
SELECT kpi_code, period, text, saved_by, saved_at, entry_id
FROM (SELECT *, row_number() OVER (PARTITION BY kpi_code, period ORDER BY entry_id DESC) AS _n FROM kpi_commentary_entry) ranked
WHERE _n = 1;

CREATE OR REPLACE VIEW priority_narrative AS
SELECT priority, period, compare_period, text, saved_by, saved_at, entry_id
FROM (SELECT *, row_number() OVER (PARTITION BY priority, period, compare_period ORDER BY entry_id DESC) AS _n FROM narrative_entry) ranked
WHERE _n = 1;
