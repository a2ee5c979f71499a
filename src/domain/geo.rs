//! WGS84 geometry for alert areas: CAP polygons and circles, and the city's district boundaries.
//!
//! Coordinates are degrees (latitude, longitude). Containment and intersection treat longitude as x and
//! latitude as y, which is accurate enough at city scale; distances use the haversine formula.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The mean Earth radius (IUGG), in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

/// A ring of points; a valid one is closed (its last point equals its first) and has at least 4 points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Polygon(pub Vec<Point>);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Circle {
    pub center: Point,
    pub radius_km: f64,
}

/// Why a polygon or circle cannot be read or used. Indexes are 1-based, as a person counts.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum GeoError {
    #[error("latitude {0} is out of range (−90…90)")]
    Latitude(f64),
    #[error("longitude {0} is out of range (−180…180)")]
    Longitude(f64),
    #[error("polygon {index}, point {point}: {reason}")]
    PolygonPoint { index: usize, point: usize, reason: Box<GeoError> },
    #[error("polygon {index} is not closed: its last point must equal its first")]
    NotClosed { index: usize },
    #[error("polygon {index} has {points} points; a closed polygon needs at least 4")]
    TooFewPoints { index: usize, points: usize },
    #[error("circle {index}, centre: {reason}")]
    CircleCentre { index: usize, reason: Box<GeoError> },
    #[error("circle {index} has a negative radius")]
    NegativeRadius { index: usize },
    #[error("circle {index} has a radius that is not a finite number")]
    RadiusNotFinite { index: usize },
    #[error("cannot read the {what} \"{text}\": {reason}")]
    Syntax { what: &'static str, text: String, reason: String },
}

fn syntax(what: &'static str, text: &str, reason: impl Into<String>) -> GeoError {
    GeoError::Syntax { what, text: shorten(text), reason: reason.into() }
}

/// The text, trimmed and cut to 60 characters, for quoting in messages.
fn shorten(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

impl Point {
    pub fn new(lat: f64, lon: f64) -> Point {
        Point { lat, lon }
    }

    /// Latitude within −90…90 and longitude within −180…180 (NaN is out of range).
    pub fn validate(&self) -> Result<(), GeoError> {
        if !(-90.0..=90.0).contains(&self.lat) {
            return Err(GeoError::Latitude(self.lat));
        }
        if !(-180.0..=180.0).contains(&self.lon) {
            return Err(GeoError::Longitude(self.lon));
        }
        Ok(())
    }

    /// Reads the CAP pair "lat,lon" (no spaces inside).
    fn parse_pair(s: &str) -> Result<Point, String> {
        let (lat, lon) = s.split_once(',').ok_or_else(|| format!("\"{}\" should be \"lat,lon\"", shorten(s)))?;
        let num = |v: &str, what: &str| {
            v.trim().parse::<f64>().map_err(|_| format!("the {what} \"{}\" is not a number", shorten(v)))
        };
        Ok(Point { lat: num(lat, "latitude")?, lon: num(lon, "longitude")? })
    }

    fn to_pair(self) -> String {
        format!("{},{}", self.lat, self.lon)
    }

    /// The great-circle distance in kilometres (haversine, mean Earth radius).
    pub fn distance_km(&self, other: &Point) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
    }
}

impl Polygon {
    /// Checks the points' ranges, closure and size. `index` (1-based) names the polygon in messages.
    pub fn validate(&self, index: usize) -> Result<(), GeoError> {
        for (i, p) in self.0.iter().enumerate() {
            p.validate().map_err(|e| GeoError::PolygonPoint { index, point: i + 1, reason: Box::new(e) })?;
        }
        if self.0.len() < 4 {
            return Err(GeoError::TooFewPoints { index, points: self.0.len() });
        }
        if self.0.first() != self.0.last() {
            return Err(GeoError::NotClosed { index });
        }
        Ok(())
    }

    /// Reads the CAP form "lat,lon lat,lon …" (pairs separated by whitespace). Does not check ranges or
    /// closure: call [`Polygon::validate`] for that.
    pub fn parse_cap(text: &str) -> Result<Polygon, GeoError> {
        let points: Vec<Point> = text
            .split_whitespace()
            .enumerate()
            .map(|(i, pair)| {
                Point::parse_pair(pair).map_err(|e| syntax("polygon", text, format!("point {}: {e}", i + 1)))
            })
            .collect::<Result<_, _>>()?;
        if points.is_empty() {
            return Err(syntax("polygon", text, "it has no points"));
        }
        Ok(Polygon(points))
    }

    pub fn to_cap(&self) -> String {
        self.0.iter().map(|p| p.to_pair()).collect::<Vec<_>>().join(" ")
    }

    /// The closing edge is implied, so this works whether or not the ring repeats its first point.
    fn edges(&self) -> impl Iterator<Item = (Point, Point)> + '_ {
        let n = self.0.len();
        (0..n).map(move |i| (self.0[i], self.0[(i + 1) % n]))
    }

    /// Ray casting (even–odd rule) with longitude as x and latitude as y. Points exactly on an edge may
    /// fall either way.
    pub fn contains(&self, p: &Point) -> bool {
        let mut inside = false;
        for (a, b) in self.edges() {
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let x = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
                if p.lon < x {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// True when either polygon has a vertex inside the other or any of their edges cross or touch.
    pub fn intersects_polygon(&self, other: &Polygon) -> bool {
        if self.0.is_empty() || other.0.is_empty() || !self.bbox().overlaps(&other.bbox()) {
            return false;
        }
        self.0.iter().any(|p| other.contains(p))
            || other.0.iter().any(|p| self.contains(p))
            || self.edges().any(|(a, b)| other.edges().any(|(c, d)| segments_intersect(a, b, c, d)))
    }

    fn bbox(&self) -> BBox {
        let mut b = BBox { min: self.0[0], max: self.0[0] };
        for p in &self.0 {
            b.min.lat = b.min.lat.min(p.lat);
            b.min.lon = b.min.lon.min(p.lon);
            b.max.lat = b.max.lat.max(p.lat);
            b.max.lon = b.max.lon.max(p.lon);
        }
        b
    }
}

struct BBox {
    min: Point,
    max: Point,
}

impl BBox {
    fn overlaps(&self, o: &BBox) -> bool {
        self.min.lat <= o.max.lat && o.min.lat <= self.max.lat && self.min.lon <= o.max.lon && o.min.lon <= self.max.lon
    }
}

/// The sign of the turn a→b→c in the (lon, lat) plane: 1 left, −1 right, 0 collinear.
fn orientation(a: Point, b: Point, c: Point) -> i8 {
    let v = (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon);
    if v > 0.0 {
        1
    } else if v < 0.0 {
        -1
    } else {
        0
    }
}

/// Whether `q`, known to be collinear with segment a–b, lies within its bounding box.
fn on_segment(a: Point, b: Point, q: Point) -> bool {
    q.lon >= a.lon.min(b.lon) && q.lon <= a.lon.max(b.lon) && q.lat >= a.lat.min(b.lat) && q.lat <= a.lat.max(b.lat)
}

fn segments_intersect(a: Point, b: Point, c: Point, d: Point) -> bool {
    let (o1, o2, o3, o4) = (orientation(a, b, c), orientation(a, b, d), orientation(c, d, a), orientation(c, d, b));
    if o1 != o2 && o3 != o4 {
        return true;
    }
    (o1 == 0 && on_segment(a, b, c))
        || (o2 == 0 && on_segment(a, b, d))
        || (o3 == 0 && on_segment(c, d, a))
        || (o4 == 0 && on_segment(c, d, b))
}

impl Circle {
    /// Checks the centre and that the radius is a finite, non-negative number of kilometres.
    pub fn validate(&self, index: usize) -> Result<(), GeoError> {
        self.center.validate().map_err(|e| GeoError::CircleCentre { index, reason: Box::new(e) })?;
        if !self.radius_km.is_finite() {
            return Err(GeoError::RadiusNotFinite { index });
        }
        if self.radius_km < 0.0 {
            return Err(GeoError::NegativeRadius { index });
        }
        Ok(())
    }

    /// Reads the CAP form "lat,lon radius_km". Does not check ranges: call [`Circle::validate`] for that.
    pub fn parse_cap(text: &str) -> Result<Circle, GeoError> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        let [pair, radius] = parts[..] else {
            return Err(syntax("circle", text, "expected \"lat,lon radius_km\""));
        };
        let center = Point::parse_pair(pair).map_err(|e| syntax("circle", text, e))?;
        let radius_km =
            radius.parse().map_err(|_| syntax("circle", text, format!("the radius \"{radius}\" is not a number")))?;
        Ok(Circle { center, radius_km })
    }

    pub fn to_cap(&self) -> String {
        format!("{} {}", self.center.to_pair(), self.radius_km)
    }

    /// Haversine distance from the centre at most the radius.
    pub fn contains(&self, p: &Point) -> bool {
        self.center.distance_km(p) <= self.radius_km
    }

    /// The centre lies inside the polygon, or some edge comes within the radius of it. Edge distances use an
    /// equirectangular projection around the centre, which is accurate at city scale.
    pub fn intersects_polygon(&self, polygon: &Polygon) -> bool {
        if polygon.0.is_empty() {
            return false;
        }
        if polygon.contains(&self.center) {
            return true;
        }
        let project = |p: Point| -> (f64, f64) {
            let mut dlon = p.lon - self.center.lon;
            if dlon > 180.0 {
                dlon -= 360.0;
            } else if dlon < -180.0 {
                dlon += 360.0;
            }
            let km_per_deg = EARTH_RADIUS_KM.to_radians();
            (dlon * km_per_deg * self.center.lat.to_radians().cos(), (p.lat - self.center.lat) * km_per_deg)
        };
        polygon.edges().any(|(a, b)| distance_to_origin(project(a), project(b)) <= self.radius_km)
    }
}

/// The distance from (0, 0) to the segment a–b in the plane.
fn distance_to_origin(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 { 0.0 } else { (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0) };
    (a.0 + t * dx).hypot(a.1 + t * dy)
}

/// The city's districts as polygons, read from GeoJSON.
///
/// Only outer rings are kept: holes (inner rings) are ignored, so a point in a hole counts as inside.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundaries {
    districts: Vec<(i64, Vec<Polygon>)>,
}

impl Boundaries {
    /// Reads a GeoJSON FeatureCollection of Polygon and MultiPolygon features (positions are `[lon, lat]`),
    /// taking each district's number from `properties[number_property]`, an integer or a numeric string.
    /// Features with the same number are merged. Inner rings (holes) are ignored.
    pub fn from_geojson(text: &str, number_property: &str) -> Result<Boundaries, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| format!("the boundaries are not valid JSON: {e}"))?;
        if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
            return Err("the boundaries must be a GeoJSON FeatureCollection".into());
        }
        let features = doc
            .get("features")
            .and_then(Value::as_array)
            .ok_or("the boundaries FeatureCollection has no \"features\" array")?;
        let mut districts: Vec<(i64, Vec<Polygon>)> = Vec::new();
        for (i, feature) in features.iter().enumerate() {
            let err = |what: String| format!("boundaries feature {}: {what}", i + 1);
            let number = district_number(feature, number_property).map_err(err)?;
            let polygons = feature_polygons(feature).map_err(err)?;
            match districts.iter_mut().find(|(n, _)| *n == number) {
                Some((_, existing)) => existing.extend(polygons),
                None => districts.push((number, polygons)),
            }
        }
        if districts.is_empty() {
            return Err("the boundaries FeatureCollection has no features".into());
        }
        districts.sort_by_key(|(n, _)| *n);
        Ok(Boundaries { districts })
    }

    /// Each district's number and outer rings, by number.
    pub fn districts(&self) -> &[(i64, Vec<Polygon>)] {
        &self.districts
    }

    /// The district numbers, ascending.
    pub fn numbers(&self) -> Vec<i64> {
        self.districts.iter().map(|(n, _)| *n).collect()
    }

    /// The districts that any of the polygons or circles touches, ascending and without duplicates.
    pub fn districts_touching(&self, polygons: &[Polygon], circles: &[Circle]) -> Vec<i64> {
        let mut out: Vec<i64> = self
            .districts
            .iter()
            .filter(|(_, shapes)| {
                shapes.iter().any(|d| {
                    polygons.iter().any(|p| p.intersects_polygon(d)) || circles.iter().any(|c| c.intersects_polygon(d))
                })
            })
            .map(|(n, _)| *n)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

fn district_number(feature: &Value, property: &str) -> Result<i64, String> {
    let value = feature
        .get("properties")
        .and_then(|p| p.get(property))
        .ok_or_else(|| format!("properties.{property} is missing"))?;
    let number = match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    number.ok_or_else(|| format!("properties.{property} is {value}, not a whole number"))
}

fn feature_polygons(feature: &Value) -> Result<Vec<Polygon>, String> {
    let geometry = feature.get("geometry").filter(|g| !g.is_null()).ok_or("it has no geometry")?;
    let coords = geometry.get("coordinates").ok_or("its geometry has no coordinates")?;
    let rings: Vec<&Value> = match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon") => vec![coords],
        Some("MultiPolygon") => coords.as_array().ok_or("MultiPolygon coordinates are not an array")?.iter().collect(),
        Some(other) => return Err(format!("its geometry is a {other}; only Polygon and MultiPolygon are read")),
        None => return Err("its geometry has no type".into()),
    };
    let mut out = Vec::new();
    for (i, polygon) in rings.into_iter().enumerate() {
        let outer = polygon.get(0).and_then(Value::as_array).ok_or(format!("polygon {} has no outer ring", i + 1))?;
        let points = outer
            .iter()
            .map(|pos| {
                match pos.as_array().map(|a| (a.first().and_then(Value::as_f64), a.get(1).and_then(Value::as_f64))) {
                    Some((Some(lon), Some(lat))) => Ok(Point { lat, lon }),
                    _ => Err(format!("polygon {} has a position that is not [lon, lat]: {pos}", i + 1)),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let polygon = Polygon(points);
        polygon.validate(i + 1).map_err(|e| e.to_string())?;
        out.push(polygon);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(lat0: f64, lon0: f64, size: f64) -> Polygon {
        Polygon::parse_cap(&format!(
            "{lat0},{lon0} {lat0},{} {},{} {},{lon0} {lat0},{lon0}",
            lon0 + size,
            lat0 + size,
            lon0 + size,
            lat0 + size
        ))
        .unwrap()
    }

    #[test]
    fn polygon_cap_text_round_trips() {
        let text = "50.0614,19.9366 50.07,19.95 50.05,19.96 50.0614,19.9366";
        let p = Polygon::parse_cap(text).unwrap();
        assert_eq!(p.0.len(), 4);
        assert_eq!(p.0[1], Point::new(50.07, 19.95));
        assert_eq!(p.to_cap(), text);
        assert_eq!(Polygon::parse_cap(&format!("  {}\n\t", text.replace(' ', "\n  "))).unwrap(), p);
        p.validate(1).unwrap();
    }

    #[test]
    fn polygon_syntax_errors_name_the_point() {
        let e = Polygon::parse_cap("50.1,19.9 50.2;19.9").unwrap_err().to_string();
        assert!(e.contains("point 2") && e.contains("\"lat,lon\""), "{e}");
        let e = Polygon::parse_cap("50.1,abc").unwrap_err().to_string();
        assert!(e.contains("longitude \"abc\""), "{e}");
        assert!(Polygon::parse_cap("  ").unwrap_err().to_string().contains("no points"));
    }

    #[test]
    fn polygon_validation_messages() {
        let open = Polygon::parse_cap("50,19 50,20 51,20 51,19").unwrap();
        assert_eq!(
            open.validate(1).unwrap_err().to_string(),
            "polygon 1 is not closed: its last point must equal its first"
        );
        let short = Polygon::parse_cap("50,19 50,20 50,19").unwrap();
        assert_eq!(
            short.validate(2).unwrap_err().to_string(),
            "polygon 2 has 3 points; a closed polygon needs at least 4"
        );
        let far = Polygon::parse_cap("50,19 95,20 51,20 50,19").unwrap();
        assert_eq!(
            far.validate(3).unwrap_err().to_string(),
            "polygon 3, point 2: latitude 95 is out of range (−90…90)"
        );
        let east = Polygon::parse_cap("50,19 50,200 51,20 50,19").unwrap();
        assert!(east.validate(1).unwrap_err().to_string().contains("longitude 200 is out of range"));
        let nan = Polygon(vec![Point::new(f64::NAN, 0.0); 4]);
        assert!(nan.validate(1).is_err());
    }

    #[test]
    fn circle_cap_text_and_validation() {
        let c = Circle::parse_cap("50.0614,19.9366 2.5").unwrap();
        assert_eq!(c, Circle { center: Point::new(50.0614, 19.9366), radius_km: 2.5 });
        assert_eq!(c.to_cap(), "50.0614,19.9366 2.5");
        assert_eq!(Circle::parse_cap(" 50,19\n0 ").unwrap().to_cap(), "50,19 0");
        c.validate(1).unwrap();
        let neg = Circle::parse_cap("50,19 -1").unwrap();
        assert_eq!(neg.validate(1).unwrap_err().to_string(), "circle 1 has a negative radius");
        let e = Circle::parse_cap("-91,19 1").unwrap().validate(2).unwrap_err().to_string();
        assert_eq!(e, "circle 2, centre: latitude -91 is out of range (−90…90)");
        assert!(Circle::parse_cap("50,19 inf").unwrap().validate(1).is_err());
        assert!(Circle::parse_cap("50,19").unwrap_err().to_string().contains("lat,lon radius_km"));
        assert!(Circle::parse_cap("50,19 1 2").is_err());
        assert!(Circle::parse_cap("50,19 km").unwrap_err().to_string().contains("radius \"km\""));
    }

    #[test]
    fn long_bad_text_is_shortened_in_messages() {
        let long = "x".repeat(500);
        let e = Polygon::parse_cap(&long).unwrap_err().to_string();
        assert!(e.len() < 400 && e.contains('…'), "{e}");
    }

    #[test]
    fn polygon_contains_by_ray_casting() {
        let sq = square(50.0, 19.0, 1.0);
        assert!(sq.contains(&Point::new(50.5, 19.5)));
        assert!(!sq.contains(&Point::new(51.5, 19.5)));
        assert!(!sq.contains(&Point::new(50.5, 18.9)));
        // A concave "C": the notch is outside.
        let c = Polygon::parse_cap("0,0 0,3 1,3 1,1 2,1 2,3 3,3 3,0 0,0").unwrap();
        assert!(c.contains(&Point::new(0.5, 2.0)));
        assert!(!c.contains(&Point::new(1.5, 2.0)));
        assert!(c.contains(&Point::new(1.5, 0.5)));
    }

    #[test]
    fn haversine_distance_and_circle_containment() {
        let krakow = Point::new(50.0614, 19.9366);
        let warsaw = Point::new(52.2297, 21.0122);
        let d = krakow.distance_km(&warsaw);
        assert!((d - 252.0).abs() < 2.0, "{d}");
        // One degree of latitude is about 111.2 km.
        let one_deg = Point::new(0.0, 0.0).distance_km(&Point::new(1.0, 0.0));
        assert!((one_deg - 111.195).abs() < 0.01, "{one_deg}");
        let c = Circle { center: krakow, radius_km: 1.0 };
        assert!(c.contains(&krakow));
        assert!(c.contains(&Point::new(50.0614 + 0.0089, 19.9366)));
        assert!(!c.contains(&Point::new(50.0614 + 0.0091, 19.9366)));
    }

    #[test]
    fn polygon_intersections() {
        let a = square(50.0, 19.0, 1.0);
        assert!(a.intersects_polygon(&square(50.5, 19.5, 1.0)), "overlapping corners");
        assert!(a.intersects_polygon(&square(50.25, 19.25, 0.5)), "one inside the other");
        assert!(square(50.25, 19.25, 0.5).intersects_polygon(&a), "the other inside the one");
        assert!(a.intersects_polygon(&square(51.0, 19.0, 1.0)), "shared edge");
        assert!(!a.intersects_polygon(&square(52.0, 19.0, 1.0)), "apart");
        // A cross: neither has a vertex inside the other, but the edges cross.
        let tall = Polygon::parse_cap("49,19.4 49,19.6 52,19.6 52,19.4 49,19.4").unwrap();
        assert!(a.intersects_polygon(&tall) && tall.intersects_polygon(&a));
        // Bounding boxes overlap but the shapes do not.
        let tri = Polygon::parse_cap("51,19 51,20 50,20 51,19").unwrap();
        let tri2 = Polygon::parse_cap("50.8,19 50,19.8 50,19 50.8,19").unwrap();
        assert!(!tri.intersects_polygon(&tri2));
        assert!(!a.intersects_polygon(&Polygon(vec![])));
    }

    #[test]
    fn circle_polygon_intersections() {
        let a = square(50.0, 19.0, 1.0);
        let circle = |lat, lon, radius_km| Circle { center: Point::new(lat, lon), radius_km };
        assert!(circle(50.5, 19.5, 0.1).intersects_polygon(&a), "centre inside");
        // 0.1° of latitude is ≈ 11.1 km north of the northern edge.
        assert!(circle(51.1, 19.5, 11.5).intersects_polygon(&a));
        assert!(!circle(51.1, 19.5, 10.5).intersects_polygon(&a));
        // 0.1° of longitude at 50.5° N is ≈ 7.07 km east of the eastern edge.
        assert!(circle(50.5, 20.1, 7.2).intersects_polygon(&a));
        assert!(!circle(50.5, 20.1, 6.9).intersects_polygon(&a));
        // Near a corner the distance is to the vertex, not to the edge's line.
        assert!(!circle(51.1, 20.1, 11.5).intersects_polygon(&a));
        assert!(circle(51.1, 20.1, 13.5).intersects_polygon(&a));
    }

    const GEOJSON: &str = r#"{
      "type": "FeatureCollection",
      "features": [
        {"type": "Feature", "properties": {"nr": 1, "name": "Stare Miasto"},
         "geometry": {"type": "Polygon", "coordinates": [
           [[19.0, 50.0], [20.0, 50.0], [20.0, 51.0], [19.0, 51.0], [19.0, 50.0]],
           [[19.4, 50.4], [19.6, 50.4], [19.6, 50.6], [19.4, 50.4]]]}},
        {"type": "Feature", "properties": {"nr": "2"},
         "geometry": {"type": "MultiPolygon", "coordinates": [
           [[[20.0, 50.0], [21.0, 50.0], [21.0, 51.0], [20.0, 51.0], [20.0, 50.0]]],
           [[[25.0, 50.0], [26.0, 50.0], [26.0, 51.0], [25.0, 50.0]]]]}},
        {"type": "Feature", "properties": {"nr": 3.0},
         "geometry": {"type": "Polygon", "coordinates": [
           [[19.0, 52.0, 210.5], [20.0, 52.0, 210.5], [20.0, 53.0, 211], [19.0, 52.0, 210.5]]]}}
      ]
    }"#;

    #[test]
    fn boundaries_read_geojson_in_lon_lat_order() {
        let b = Boundaries::from_geojson(GEOJSON, "nr").unwrap();
        assert_eq!(b.numbers(), vec![1, 2, 3]);
        assert_eq!(b.districts[0].1.len(), 1, "the hole is ignored");
        assert_eq!(b.districts[0].1[0].0[1], Point::new(50.0, 20.0));
        assert_eq!(b.districts[1].1.len(), 2);
    }

    #[test]
    fn districts_touching_polygons_and_circles() {
        let b = Boundaries::from_geojson(GEOJSON, "nr").unwrap();
        let in_one = square(50.2, 19.2, 0.1);
        assert_eq!(b.districts_touching(std::slice::from_ref(&in_one), &[]), vec![1]);
        let straddling = square(50.4, 19.9, 0.2);
        assert_eq!(b.districts_touching(&[straddling, in_one.clone()], &[]), vec![1, 2]);
        let in_far_part = Circle { center: Point::new(50.2, 25.5), radius_km: 1.0 };
        assert_eq!(b.districts_touching(&[], std::slice::from_ref(&in_far_part)), vec![2]);
        let in_hole = Circle { center: Point::new(50.5, 19.5), radius_km: 0.5 };
        assert_eq!(b.districts_touching(&[], &[in_hole]), vec![1], "holes are ignored");
        let big = Circle { center: Point::new(51.5, 19.5), radius_km: 60.0 };
        assert_eq!(b.districts_touching(&[in_one], &[big, in_far_part]), vec![1, 2, 3]);
        assert!(b.districts_touching(&[square(10.0, 10.0, 1.0)], &[]).is_empty());
        assert!(b.districts_touching(&[], &[]).is_empty());
    }

    #[test]
    fn boundaries_errors_name_the_feature() {
        let e = |text: &str| Boundaries::from_geojson(text, "nr").unwrap_err();
        assert!(e("{").contains("not valid JSON"));
        assert!(e(r#"{"type": "Feature"}"#).contains("FeatureCollection"));
        assert!(e(r#"{"type": "FeatureCollection", "features": []}"#).contains("no features"));
        let feature = |props: &str, geometry: &str| {
            format!(
                r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{props},"geometry":{geometry}}}]}}"#
            )
        };
        let square = r#"{"type":"Polygon","coordinates":[[[19,50],[20,50],[20,51],[19,50]]]}"#;
        assert_eq!(e(&feature("{}", square)), "boundaries feature 1: properties.nr is missing");
        assert!(e(&feature(r#"{"nr":"II"}"#, square)).contains(r#"properties.nr is "II", not a whole number"#));
        assert!(e(&feature(r#"{"nr":1}"#, "null")).contains("no geometry"));
        let point = r#"{"type":"Point","coordinates":[19,50]}"#;
        assert!(e(&feature(r#"{"nr":1}"#, point)).contains("only Polygon and MultiPolygon"));
        let open = r#"{"type":"Polygon","coordinates":[[[19,50],[20,50],[20,51],[19,51]]]}"#;
        assert_eq!(
            e(&feature(r#"{"nr":1}"#, open)),
            "boundaries feature 1: polygon 1 is not closed: its last point must equal its first"
        );
        let bad_pos = r#"{"type":"Polygon","coordinates":[[[19],[20,50],[20,51],[19,50]]]}"#;
        assert!(e(&feature(r#"{"nr":1}"#, bad_pos)).contains("not [lon, lat]"));
    }

    #[test]
    fn serde_shapes() {
        let c = Circle { center: Point::new(50.0, 19.0), radius_km: 1.5 };
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"center":{"lat":50.0,"lon":19.0},"radius_km":1.5}"#);
        assert_eq!(serde_json::from_str::<Circle>(&json).unwrap(), c);
        let p = square(50.0, 19.0, 1.0);
        assert_eq!(serde_json::from_str::<Polygon>(&serde_json::to_string(&p).unwrap()).unwrap(), p);
    }
}
