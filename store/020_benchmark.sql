-- National benchmarks: DfE LAIT figures for every English council, statistical neighbours, and the
-- mapping from local KPIs to national measures. Append-only like the rest of the store.
--
-- A LAIT extract is a complete snapshot, so each load (a submission of kind 'lait') stores every
-- row again and the current data is the whole of the latest active 'lait' submission; rolling it
-- back brings the previous extract back. The KPI mapping works the same way (kind 'benchmark_map').
-- Views whose names do not start with an underscore are the documented interface for analysts.

CREATE TABLE IF NOT EXISTS benchmark_file (
    submission_id INTEGER NOT NULL,
    role VARCHAR NOT NULL,           -- values | dictionary | areas | neighbours | map
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,         -- the bytes are in original_file under this hash
    bytes BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS benchmark_value_entry (
    submission_id INTEGER NOT NULL,
    measure VARCHAR NOT NULL,
    period VARCHAR NOT NULL,         -- as published: '2017', '2014-16', '2016/17', '2016-17 (OT)'
    end_year SMALLINT,               -- sortable: the last year the period covers; NULL if not understood
    period_kind VARCHAR NOT NULL,    -- year | split year | 3-year span ..., with a qualifier like (Rev)
    la_code VARCHAR NOT NULL,
    value DOUBLE PRECISION,
    missing_mark VARCHAR             -- the not-available mark ('-', 'c', 'x', 'z', 'low') when value is NULL
);

CREATE TABLE IF NOT EXISTS benchmark_measure_entry (
    submission_id INTEGER NOT NULL,
    measure VARCHAR NOT NULL,
    topic VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    chart_title VARCHAR,
    description VARCHAR,
    data_item VARCHAR,
    polarity VARCHAR CHECK (polarity IN ('higher', 'lower')),
    polarity_raw VARCHAR,
    y_axis_name VARCHAR,
    year_type VARCHAR,
    last_update DATE,
    last_update_text VARCHAR,
    next_update DATE,
    next_update_text VARCHAR,
    dps SMALLINT,
    no_quartile BOOLEAN NOT NULL,
    methodology VARCHAR,
    source_table VARCHAR,
    data_owner VARCHAR,
    hyperlinks VARCHAR,
    measure_id VARCHAR,
    dictionary_row INTEGER
);

CREATE TABLE IF NOT EXISTS benchmark_area_entry (
    submission_id INTEGER NOT NULL,
    la_code VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    region_name VARCHAR,
    region_code VARCHAR,
    la_type VARCHAR,
    area_kind VARCHAR NOT NULL CHECK (area_kind IN ('council', 'region', 'england')),
    status VARCHAR NOT NULL CHECK (status IN ('current', 'former'))
);

CREATE TABLE IF NOT EXISTS neighbour_entry (
    submission_id INTEGER NOT NULL,
    grouping VARCHAR NOT NULL,       -- the year the groups were published: '2021', '2025'
    grouping_label VARCHAR NOT NULL, -- 'April 2021'
    la_code VARCHAR NOT NULL,
    la_name VARCHAR,
    neighbour_rank SMALLINT NOT NULL,
    neighbour_code VARCHAR NOT NULL,
    closeness VARCHAR,
    section VARCHAR NOT NULL         -- current | former (the workbook's 'Old SNs' rows)
);

CREATE TABLE IF NOT EXISTS kpi_benchmark_map_entry (
    submission_id INTEGER NOT NULL,
    kpi_code VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,
    transform VARCHAR NOT NULL,
    scale DOUBLE PRECISION NOT NULL,
    "offset" DOUBLE PRECISION NOT NULL,
    note VARCHAR,
    excel_row INTEGER
);

CREATE OR REPLACE VIEW _lait_current AS
SELECT max(submission_id) AS submission_id FROM submissions WHERE kind = 'lait' AND status = 'active';

CREATE OR REPLACE VIEW _benchmark_map_current AS
SELECT max(submission_id) AS submission_id FROM submissions WHERE kind = 'benchmark_map' AND status = 'active';

CREATE OR REPLACE VIEW la_codes AS
SELECT la_code, name, region_name, region_code, la_type, area_kind, status
FROM benchmark_area_entry WHERE submission_id = (SELECT submission_id FROM _lait_current);

CREATE OR REPLACE VIEW benchmark_values AS
SELECT v.measure, v.period, v.end_year, v.period_kind, v.la_code, a.name AS area_name, a.area_kind,
       v.value, v.missing_mark
FROM benchmark_value_entry v
LEFT JOIN la_codes a USING (la_code)
WHERE v.submission_id = (SELECT submission_id FROM _lait_current);

CREATE OR REPLACE VIEW benchmark_measure_topics AS
SELECT topic, measure, name, dictionary_row
FROM benchmark_measure_entry WHERE submission_id = (SELECT submission_id FROM _lait_current);

CREATE OR REPLACE VIEW benchmark_measures AS
SELECT m.measure, m.topic, name, chart_title, description, data_item, polarity, polarity_raw, y_axis_name, year_type, last_update, last_update_text, next_update, next_update_text, dps, no_quartile, methodology, source_table, data_owner, hyperlinks, measure_id, t.topics
FROM (SELECT *, row_number() OVER (PARTITION BY measure ORDER BY last_update DESC NULLS LAST, dictionary_row) AS _n
      FROM benchmark_measure_entry WHERE submission_id = (SELECT submission_id FROM _lait_current)) m
JOIN (SELECT measure, string_agg(DISTINCT topic, '; ' ORDER BY topic) AS topics
      FROM benchmark_measure_topics GROUP BY measure) t ON t.measure = m.measure
WHERE m._n = 1;

CREATE OR REPLACE VIEW statistical_neighbours AS
SELECT n.grouping, n.grouping_label, n.la_code, coalesce(a.name, n.la_name) AS la_name, n.neighbour_rank,
       n.neighbour_code, b.name AS neighbour_name, n.closeness, n.section
FROM neighbour_entry n
LEFT JOIN la_codes a ON a.la_code = n.la_code
LEFT JOIN la_codes b ON b.la_code = n.neighbour_code
WHERE n.submission_id = (SELECT submission_id FROM _lait_current);

-- Rank and quartile of every council's value among all councils with a value that year. Rank 1 is
-- the best (highest for polarity 'higher', lowest for 'lower'; ties share the better rank); quartile
-- 1 (band A) is the best quarter. Neither is given when DfE names no better direction, and no
-- quartile when the dictionary's No_Quartile flag is set.
CREATE OR REPLACE VIEW _measure_direction AS
SELECT measure, min(polarity) AS polarity, bool_or(no_quartile) AS no_quartile
FROM benchmark_measure_entry WHERE submission_id = (SELECT submission_id FROM _lait_current)
GROUP BY measure;

CREATE OR REPLACE VIEW benchmark_rankings AS
WITH councils AS NOT MATERIALIZED (  -- inlined, so a filter on measure reaches the scan (PostgreSQL)
    SELECT v.measure, v.period, v.end_year, v.la_code, v.area_name, v.value, m.polarity, m.no_quartile
    FROM benchmark_values v JOIN _measure_direction m USING (measure)
    WHERE v.area_kind = 'council' AND v.value IS NOT NULL AND v.end_year IS NOT NULL
), quartiles AS (
    SELECT measure, period, count(*) AS councils_ranked,
           percentile_cont(0.25) WITHIN GROUP (ORDER BY value) AS q25,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS q50,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY value) AS q75
    FROM councils GROUP BY measure, period
), stats AS (
    SELECT c.*, q.councils_ranked, q.q25, q.q50, q.q75,
           rank() OVER (PARTITION BY c.measure, c.period ORDER BY c.value DESC) AS rank_high,
           rank() OVER (PARTITION BY c.measure, c.period ORDER BY c.value ASC) AS rank_low
    FROM councils c JOIN quartiles q ON q.measure = c.measure AND q.period = c.period
)
SELECT measure, period, end_year, la_code, area_name, value, polarity, councils_ranked,
       CASE polarity WHEN 'higher' THEN rank_high WHEN 'lower' THEN rank_low END AS rank,
       CASE WHEN polarity IS NULL OR no_quartile THEN NULL
            WHEN polarity = 'higher' THEN CASE WHEN value > q75 THEN 1 WHEN value > q50 THEN 2
                                               WHEN value > q25 THEN 3 ELSE 4 END
            ELSE CASE WHEN value <= q25 THEN 1 WHEN value <= q50 THEN 2 WHEN value <= q75 THEN 3 ELSE 4 END
       END AS quartile,
       q25, q50, q75
FROM stats;

CREATE OR REPLACE VIEW kpi_benchmark_map AS
SELECT kpi_code, measure, transform, scale, "offset", note
FROM kpi_benchmark_map_entry WHERE submission_id = (SELECT submission_id FROM _benchmark_map_current);
