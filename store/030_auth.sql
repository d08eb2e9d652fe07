-- Accounts and the audit log. Append-only like the rest of the store: an account change is
-- a new version row, and the audit log only ever grows.

CREATE SEQUENCE IF NOT EXISTS account_version_seq START 1;
CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;

CREATE TABLE IF NOT EXISTS account_version (
    version_id BIGINT PRIMARY KEY,
    username VARCHAR NOT NULL,
    display_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('viewer', 'uploader', 'admin')),
    password_hash VARCHAR,              -- argon2id; NULL for people who sign in through the council's identity provider
    password_version BIGINT,            -- version_id of the row that last set the password
    disabled BOOLEAN NOT NULL,
    change VARCHAR NOT NULL,            -- created | role | disabled | enabled | password
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS audit_log (
    audit_id BIGINT PRIMARY KEY,
    at_utc TIMESTAMP NOT NULL,
    username VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,
    detail VARCHAR NOT NULL
);

CREATE OR REPLACE VIEW _account_current AS
SELECT version_id, username, display_name, role, password_hash, password_version, disabled, change,
       changed_at, changed_by
FROM (SELECT *, row_number() OVER (PARTITION BY username ORDER BY version_id DESC) AS _n FROM account_version) ranked
WHERE _n = 1;

-- For analysts and the Users page: who may do what, without password hashes.
CREATE OR REPLACE VIEW accounts AS
SELECT username, display_name, role, disabled, password_hash IS NOT NULL AS has_password,
       changed_at AS last_changed_at, changed_by AS last_changed_by, change AS last_change
FROM _account_current;
