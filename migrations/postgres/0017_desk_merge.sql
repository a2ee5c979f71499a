-- Merging duplicates: a report handled together with another one is closed in the new state 'merged', and names the
-- report it was merged into (merged_into).
ALTER TABLE desk_reports DROP CONSTRAINT desk_reports_state_check;
ALTER TABLE desk_reports ADD CONSTRAINT desk_reports_state_check
    CHECK (state IN ('new', 'acknowledged', 'in_progress', 'resolved', 'rejected', 'transferred', 'merged'));
ALTER TABLE desk_reports ADD COLUMN merged_into BIGINT REFERENCES desk_reports (id);
ALTER TABLE desk_reports ADD CONSTRAINT desk_reports_merged_into_check
    CHECK ((state = 'merged') = (merged_into IS NOT NULL));
CREATE INDEX desk_reports_merged_into ON desk_reports (merged_into);
