-- Values, ratings and actions a source implies rather than prints (the seed report's "has been
-- achieved", ratings deduced from a table's counts), and figures an officer marks as estimated:
-- the file's Estimate note column, kept with the submission that gave it. A note belongs to the
-- value it was given with: when a later file replaces the value or rating, its own note (or none)
-- applies. An action's note, like its other text, stays until a later file gives another.

CREATE TABLE IF NOT EXISTS estimate_entry (
    submission_id INTEGER NOT NULL,
    subject VARCHAR NOT NULL CHECK (subject IN ('observation', 'rating', 'action')),
    ref VARCHAR NOT NULL,          -- the KPI code (observation) or the action ref (rating, action)
    la_code VARCHAR NOT NULL,      -- the council of an observation; '' for ratings and actions
    period DATE,                   -- the month of an observation or rating; NULL for an action
    note VARCHAR NOT NULL
);

CREATE OR REPLACE VIEW estimates AS
SELECT 'observation' AS subject, o.kpi_code AS ref, o.la_code, o.period, e.note, o.submission_id
FROM _current_observation o
JOIN estimate_entry e
  ON e.subject = 'observation' AND e.submission_id = o.submission_id AND e.ref = o.kpi_code
 AND e.la_code = o.la_code AND e.period = o.period
UNION ALL
SELECT 'rating', r.action_ref, '', r.period, e.note, r.submission_id
FROM _current_rating r
JOIN estimate_entry e
  ON e.subject = 'rating' AND e.submission_id = r.submission_id AND e.ref = r.action_ref AND e.period = r.period
UNION ALL
SELECT 'action', ref, '', CAST(NULL AS DATE), note, submission_id
FROM (
    SELECT e.*, row_number() OVER (PARTITION BY e.ref ORDER BY e.submission_id DESC) AS _n
    FROM estimate_entry e JOIN _active USING (submission_id)
    WHERE e.subject = 'action') ranked
WHERE _n = 1;
