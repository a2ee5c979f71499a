-- A resident's optional home point (WGS84, rounded to 4 decimal places, about 10 m), shared on the /me page so
-- that alerts for an area drawn as a polygon or circle reach them even where district boundaries cannot tell.
-- Both or neither: a half point means nothing. Erasure clears it.
ALTER TABLE residents ADD COLUMN home_lat DOUBLE PRECISION CHECK (home_lat BETWEEN -90 AND 90);
ALTER TABLE residents ADD COLUMN home_lon DOUBLE PRECISION CHECK (home_lon BETWEEN -180 AND 180);
ALTER TABLE residents ADD CONSTRAINT residents_home_point_whole CHECK ((home_lat IS NULL) = (home_lon IS NULL));
CREATE INDEX residents_home_point ON residents (home_lat, home_lon) WHERE home_lat IS NOT NULL;
