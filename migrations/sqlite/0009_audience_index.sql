-- The survey audience groups granted consent rows by resident; in resident order from this index it needs no sort.
CREATE INDEX consent_current_granted_by_resident ON consent_current (purpose, resident_id) WHERE granted;
