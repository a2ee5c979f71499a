-- The desk's public side: a dispatcher publishes each photo on its own (desk_reports.published already says whether
-- the description is published; both only count when the reporter allowed it, desk_reports.public), and a report
-- knows the district its point lies in (when district boundaries are configured), for the public list's filter and
-- the statistics.
ALTER TABLE desk_photos ADD COLUMN published BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE desk_reports ADD COLUMN district BIGINT;
CREATE INDEX desk_reports_district ON desk_reports (district);
CREATE INDEX desk_reports_service ON desk_reports (service_code, state);
