-- Sign-in hardening (issue 13): the client address and browser of each sign-in event, kept beside
-- the entry so an admin can see where failed sign-ins come from. Existing entries get ''.
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS client VARCHAR DEFAULT '';
