-- Improvement Board store. Append-only: rows are only ever inserted. Every load is a
-- submission; current data is, for each key, the row of the latest submission that has
-- not been rolled back. Views whose names do not start with an underscore are the
-- documented interface for analysts (README, "Views for analysts").
--
-- The same text runs on DuckDB and PostgreSQL (no QUALIFY, no DuckDB-only types), so the views
-- have the same names, columns and types on both.

CREATE SEQUENCE IF NOT EXISTS submission_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS event_id_seq START 1;

CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS submission_log (
    submission_id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    submitted_by VARCHAR NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    action_rows INTEGER NOT NULL,
    rating_rows INTEGER NOT NULL,
    kpi_rows INTEGER NOT NULL,
    observation_rows INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    note VARCHAR
);

CREATE TABLE IF NOT EXISTS submission_event (
    event_id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL,
    event VARCHAR NOT NULL,          -- applied | rolled_back | reapplied
    event_at TIMESTAMP NOT NULL,
    by_user VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS original_file (
    sha256 VARCHAR PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    content BYTEA NOT NULL
);

CREATE TABLE IF NOT EXISTS setting_entry (
    submission_id INTEGER NOT NULL,
    key VARCHAR NOT NULL,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS priority_version (
    submission_id INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    title VARCHAR,
    outcome VARCHAR
);

CREATE TABLE IF NOT EXISTS action_version (
    submission_id INTEGER NOT NULL,
    action_ref VARCHAR NOT NULL,
    priority INTEGER NOT NULL,
    ofsted_ref VARCHAR,
    description VARCHAR,
    success_measures VARCHAR,
    lead VARCHAR,
    timescale_text VARCHAR,
    timescale_month DATE,
    timescale_flag VARCHAR,
    itemised BOOLEAN NOT NULL,
    is_new BOOLEAN NOT NULL,
    note VARCHAR,
    sheet VARCHAR,
    excel_row INTEGER
);

CREATE TABLE IF NOT EXISTS rating_entry (
    submission_id INTEGER NOT NULL,
    action_ref VARCHAR NOT NULL,
    period DATE NOT NULL,
    rating VARCHAR CHECK (rating IN ('R', 'A', 'LG', 'DG', 'C')),
    raw VARCHAR,
    excel_row INTEGER
);

CREATE TABLE IF NOT EXISTS period_label (
    submission_id INTEGER NOT NULL,
    period DATE NOT NULL,
    label VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS kpi_version (
    submission_id INTEGER NOT NULL,
    kpi_code VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    polarity VARCHAR CHECK (polarity IN ('higher', 'lower')),
    target DOUBLE PRECISION,
    actions VARCHAR,
    note VARCHAR
);

CREATE TABLE IF NOT EXISTS observation_entry (
    submission_id INTEGER NOT NULL,
    kpi_code VARCHAR NOT NULL,
    la_code VARCHAR NOT NULL,
    period DATE NOT NULL,
    value DOUBLE PRECISION,
    missing_mark VARCHAR,
    target DOUBLE PRECISION,
    excel_row INTEGER
);

CREATE OR REPLACE VIEW _latest_event AS
SELECT submission_id, event, event_at, by_user
FROM (SELECT *, row_number() OVER (PARTITION BY submission_id ORDER BY event_id DESC) AS _n FROM submission_event) ranked
WHERE _n = 1;

CREATE OR REPLACE VIEW submissions AS
SELECT s.submission_id, s.kind, s.file_name, s.sha256, s.submitted_by, s.submitted_at,
       s.action_rows, s.rating_rows, s.kpi_rows, s.observation_rows, s.warnings, s.note,
       CASE WHEN e.event = 'rolled_back' THEN 'rolled back' ELSE 'active' END AS status
FROM submission_log s LEFT JOIN _latest_event e USING (submission_id);

CREATE OR REPLACE VIEW _active AS
SELECT submission_id FROM submissions WHERE status = 'active';

CREATE OR REPLACE VIEW settings AS
SELECT key, value
FROM (SELECT *, row_number() OVER (PARTITION BY key ORDER BY submission_id DESC) AS _n FROM (SELECT s.* FROM setting_entry s JOIN _active USING (submission_id)) e) ranked
WHERE _n = 1;

CREATE OR REPLACE VIEW priorities AS
SELECT priority, title, outcome
FROM (SELECT *, row_number() OVER (PARTITION BY priority ORDER BY submission_id DESC) AS _n FROM (SELECT p.* FROM priority_version p JOIN _active USING (submission_id)) e) ranked
WHERE _n = 1;

CREATE OR REPLACE VIEW actions AS
SELECT action_ref, priority, ofsted_ref, description, success_measures, lead, timescale_text,
       timescale_month, timescale_flag, itemised, is_new, note, submission_id
FROM (SELECT *, row_number() OVER (PARTITION BY action_ref ORDER BY submission_id DESC) AS _n FROM (SELECT a.* FROM action_version a JOIN _active USING (submission_id)) e) ranked
WHERE _n = 1;

CREATE OR REPLACE VIEW _current_rating AS
SELECT action_ref, period, rating, raw, submission_id
FROM (SELECT *, row_number() OVER (PARTITION BY action_ref, period ORDER BY submission_id DESC) AS _n FROM (SELECT r.* FROM rating_entry r JOIN _active USING (submission_id)) e) ranked
WHERE _n = 1;

CREATE OR REPLACE VIEW rag_history AS
SELECT r.action_ref, a.priority, r.period, r.rating
FROM _current_rating r JOIN actions a USING (action_ref);

CREATE OR REPLACE VIEW reporting_periods AS
SELECT p.period, l.label
FROM (SELECT DISTINCT period FROM rag_history) p
LEFT JOIN (
    SELECT period, label
    FROM (SELECT *, row_number() OVER (PARTITION BY period ORDER BY submission_id DESC) AS _n FROM (SELECT pl.* FROM period_label pl JOIN _active USING (submission_id)) e) ranked
    WHERE _n = 1
) l USING (period);

CREATE OR REPLACE VIEW kpis AS
SELECT kpi_code, name, unit, polarity, target, actions, note
FROM (SELECT *, row_number() OVER (PARTITION BY kpi_code ORDER BY submission_id DESC) AS _n FROM (SELECT k.* FROM kpi_version k JOIN _active USING (submission_id)) e) ranked
WHERE _n = 1;

CREATE OR REPLACE VIEW _current_observation AS
SELECT kpi_code, la_code, period, value, target, missing_mark, submission_id
FROM (SELECT *, row_number() OVER (PARTITION BY kpi_code, la_code, period ORDER BY submission_id DESC) AS _n FROM (SELECT o.* FROM observation_entry o JOIN _active USING (submission_id)) e) ranked
WHERE _n = 1;

CREATE OR REPLACE VIEW kpi_observations AS
SELECT o.kpi_code, k.name AS kpi_name, o.la_code, o.period, o.value, k.unit, k.polarity,
       coalesce(o.target, k.target) AS target, o.missing_mark
FROM _current_observation o JOIN kpis k USING (kpi_code);
