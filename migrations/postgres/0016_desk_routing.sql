-- Routing per district: a service may name another responsible unit for a district. A report filed at a point in
-- that district goes to the override's unit; anywhere else (or without district boundaries) to the service's own
-- unit (desk_services.unit).
-- Editing the catalogue on the admins' page needs no other change: services are updated in place and retired with
-- desk_services.active (never deleted: reports reference them); target days are checked (1–365) by the app.
CREATE TABLE desk_service_routes (
    service_code TEXT    NOT NULL REFERENCES desk_services (code),
    district     BIGINT  NOT NULL REFERENCES districts (number),
    unit         TEXT    NOT NULL REFERENCES desk_units (code),
    PRIMARY KEY (service_code, district)
);
