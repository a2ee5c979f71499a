//! The area of an alert drawn as an SVG map of the district boundaries, on the server.
//!
//! No map tiles: the city's own boundaries (`alerts.boundaries`) are the map, so it works inside a closed network and
//! leaks nothing to a tile server. The projection is equirectangular around the city's middle latitude (over a city
//! the error is far below a pixel), and the `<svg>` carries its parameters as `data-` attributes so
//! `static/area-map.js` can turn a click back into latitude and longitude for drawing.
//!
//! Accessibility: the map is `role="img"`, named by its `<title>` and described by a `<desc>` listing the districts
//! selected and the shapes drawn; everything it shows or does is also in the form's checkboxes and text fields (the
//! map is an aid, never the only way — WCAG 2.1 1.1.1, 2.1.1). Selected districts differ by a hatch as well as by
//! colour (1.4.1); outlines are #595959 and shapes #b10e1e on white, both above 3:1 (1.4.11).

use std::fmt::Write as _;

use crate::{
    core::Core,
    domain::{
        district::District,
        geo::{Boundaries, Circle, Point, Polygon},
    },
    i18n::{Lang, t, tr},
    stats::chart::escape,
};

/// Width of the drawing in `viewBox` units; the height follows the city's shape.
const WIDTH: f64 = 640.0;
const PAD: f64 = 8.0;
/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = 111.32;

/// What to draw besides the boundaries.
#[derive(Debug, Default)]
pub struct Area<'a> {
    pub districts: &'a [i64],
    pub polygons: &'a [Polygon],
    pub circles: &'a [Circle],
}

/// The words of the map, in the page's language.
pub struct Words<'a> {
    /// The accessible name, e.g. "Map of the alert's area".
    pub title: &'a str,
    /// The description, e.g. "Selected districts: 8, 13. Drawn: 1 polygon, 1 circle."
    pub desc: &'a str,
    /// A district's name for its tooltip, by number.
    pub district_name: &'a dyn Fn(i64) -> String,
}

/// Maps WGS84 to `viewBox` units and back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    pub lon_min: f64,
    pub lat_max: f64,
    /// `viewBox` units per degree of latitude.
    pub scale: f64,
    /// cos(middle latitude): a degree of longitude is this much shorter than a degree of latitude.
    pub cos_lat: f64,
    pub height: f64,
}

impl Projection {
    /// Fits the boundaries into the drawing's width.
    pub fn fit(boundaries: &Boundaries) -> Projection {
        let (mut lat_min, mut lat_max, mut lon_min, mut lon_max) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (_, shapes) in boundaries.districts() {
            for p in shapes.iter().flat_map(|s| s.0.iter()) {
                lat_min = lat_min.min(p.lat);
                lat_max = lat_max.max(p.lat);
                lon_min = lon_min.min(p.lon);
                lon_max = lon_max.max(p.lon);
            }
        }
        let cos_lat = ((lat_min + lat_max) / 2.0).to_radians().cos();
        let span = ((lon_max - lon_min) * cos_lat).max(1e-9);
        let scale = (WIDTH - 2.0 * PAD) / span;
        let height = (lat_max - lat_min) * scale + 2.0 * PAD;
        Projection { lon_min, lat_max, scale, cos_lat, height }
    }

    pub fn xy(&self, p: &Point) -> (f64, f64) {
        (PAD + (p.lon - self.lon_min) * self.cos_lat * self.scale, PAD + (self.lat_max - p.lat) * self.scale)
    }

    pub fn point(&self, x: f64, y: f64) -> Point {
        Point::new(self.lat_max - (y - PAD) / self.scale, self.lon_min + (x - PAD) / (self.cos_lat * self.scale))
    }
}

fn path(projection: &Projection, ring: &Polygon) -> String {
    let mut d = String::new();
    for (i, p) in ring.0.iter().enumerate() {
        let (x, y) = projection.xy(p);
        let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
    }
    d.push('Z');
    d
}

/// The district's label position: the middle of its largest ring's corners (good enough for compact districts).
fn label_at(projection: &Projection, shapes: &[Polygon]) -> Option<(f64, f64)> {
    let ring = shapes.iter().max_by_key(|s| s.0.len())?;
    let n = ring.0.len().saturating_sub(1).max(1);
    let (sx, sy) = ring.0.iter().take(n).map(|p| projection.xy(p)).fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
    Some((sx / n as f64, sy / n as f64))
}

/// The SVG. `drawable` adds the `data-` attributes the drawing script reads and an id it looks for.
pub fn render(boundaries: &Boundaries, area: &Area, words: &Words, id: &str, drawable: bool) -> String {
    let proj = Projection::fit(boundaries);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="area-map" id="{id}" viewBox="0 0 {WIDTH} {h:.1}" role="img" aria-labelledby="{id}-title {id}-desc""##,
        h = proj.height,
    );
    if drawable {
        let _ = write!(
            svg,
            r#" data-draw="true" data-lon-min="{}" data-lat-max="{}" data-scale="{}" data-cos-lat="{}" data-pad="{PAD}""#,
            proj.lon_min, proj.lat_max, proj.scale, proj.cos_lat
        );
    }
    let _ = write!(
        svg,
        r##"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde3b0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8a5a00" stroke-width="2"/></pattern></defs><g class="districts">"##,
        escape(words.title),
        escape(words.desc),
    );
    for (number, shapes) in boundaries.districts() {
        let selected = area.districts.contains(number);
        let d: String = shapes.iter().map(|s| path(&proj, s)).collect();
        let _ = write!(
            svg,
            r##"<path d="{d}" data-district="{number}" class="district{}" fill="{}" stroke="#595959" stroke-width="1"><title>{}</title></path>"##,
            if selected { " selected" } else { "" },
            if selected { format!("url(#{id}-hatch)") } else { "#f4f4f4".into() },
            escape(&(words.district_name)(*number)),
        );
    }
    svg.push_str(r#"</g><g class="labels" aria-hidden="true" pointer-events="none">"#);
    for (number, shapes) in boundaries.districts() {
        if let Some((x, y)) = label_at(&proj, shapes) {
            let _ = write!(
                svg,
                r##"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" dominant-baseline="middle" font-size="13" fill="#1a1a1a">{number}</text>"##
            );
        }
    }
    svg.push_str(r##"</g><g class="shapes" pointer-events="none" fill="#b10e1e" fill-opacity="0.15" stroke="#b10e1e" stroke-width="2.5">"##);
    for polygon in area.polygons {
        let _ = write!(svg, r#"<path d="{}"/>"#, path(&proj, polygon));
    }
    for circle in area.circles {
        let (x, y) = proj.xy(&circle.center);
        let r = circle.radius_km.max(0.0) / KM_PER_DEGREE * proj.scale;
        let _ = write!(svg, r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}"/>"#);
    }
    svg.push_str("</g></svg>");
    svg
}

/// The map of an area for a page in `lang`, when the deployment has boundaries (otherwise there is no map).
pub fn for_page(
    state: &Core,
    lang: Lang,
    districts: &[District],
    area: &Area,
    id: &str,
    drawable: bool,
) -> Option<String> {
    let boundaries = state.config.boundaries.as_ref()?;
    let name = |n: i64| districts.iter().find(|d| d.number == n).map(District::label).unwrap_or(n.to_string());
    let selected = if area.districts.is_empty() {
        t(lang, "map-none")
    } else {
        area.districts.iter().map(|n| name(*n)).collect::<Vec<_>>().join(", ")
    };
    let desc = tr(
        lang,
        "map-desc",
        &[
            ("districts", selected.into()),
            ("polygons", (area.polygons.len() as u64).into()),
            ("circles", (area.circles.len() as u64).into()),
        ],
    );
    let title = t(lang, "map-title");
    Some(render(&boundaries.0, area, &Words { title: &title, desc: &desc, district_name: &name }, id, drawable))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Boundaries {
        // Two districts side by side: 1 west of 19.95, 2 east of it.
        let text = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"number": 1}, "geometry": {"type": "Polygon",
             "coordinates": [[[19.90, 50.00], [19.95, 50.00], [19.95, 50.10], [19.90, 50.10], [19.90, 50.00]]]}},
            {"type": "Feature", "properties": {"number": 2}, "geometry": {"type": "Polygon",
             "coordinates": [[[19.95, 50.00], [20.00, 50.00], [20.00, 50.10], [19.95, 50.10], [19.95, 50.00]]]}}]}"#;
        Boundaries::from_geojson(text, "number").unwrap()
    }

    #[test]
    fn clicks_turn_back_into_the_same_coordinates() {
        let proj = Projection::fit(&grid());
        let p = Point::new(50.0421, 19.9377);
        let (x, y) = proj.xy(&p);
        let back = proj.point(x, y);
        assert!((back.lat - p.lat).abs() < 1e-9 && (back.lon - p.lon).abs() < 1e-9, "{back:?}");
        // The city fills the width, and north is up.
        let (x0, _) = proj.xy(&Point::new(50.0, 19.90));
        let (x1, _) = proj.xy(&Point::new(50.0, 20.00));
        assert!((x0 - PAD).abs() < 1e-6 && (x1 - (WIDTH - PAD)).abs() < 1e-6);
        assert!(proj.xy(&Point::new(50.1, 19.9)).1 < proj.xy(&Point::new(50.0, 19.9)).1);
        // A degree of longitude is shorter than one of latitude at 50° N.
        assert!((proj.height - 2.0 * PAD) > (WIDTH - 2.0 * PAD) * 1.4);
    }

    #[test]
    fn selected_districts_and_shapes_are_drawn_and_described() {
        let polygons = [Polygon(vec![
            Point::new(50.02, 19.92),
            Point::new(50.02, 19.97),
            Point::new(50.05, 19.97),
            Point::new(50.02, 19.92),
        ])];
        let circles = [Circle { center: Point::new(50.05, 19.95), radius_km: 1.0 }];
        let area = Area { districts: &[2], polygons: &polygons, circles: &circles };
        let name = |n: i64| format!("District <{n}>");
        let words = Words { title: "Map", desc: "Selected: 2", district_name: &name };
        let svg = render(&grid(), &area, &words, "m", true);
        assert!(svg.contains(r##"data-district="2" class="district selected" fill="url(#m-hatch)""##), "{svg}");
        assert!(svg.contains(r##"data-district="1" class="district" fill="#f4f4f4""##), "{svg}");
        assert!(svg.contains("<title>District &lt;1&gt;</title>"));
        assert!(svg.contains(r#"<desc id="m-desc">Selected: 2</desc>"#));
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(svg.contains("data-draw=\"true\""));
        assert!(!render(&grid(), &area, &words, "m", false).contains("data-draw"));
        // 1 km is 1/111.32 of a degree of latitude; the map's scale turns it into units.
        let proj = Projection::fit(&grid());
        let r = 1.0 / KM_PER_DEGREE * proj.scale;
        assert!(svg.contains(&format!(r#"r="{r:.1}""#)), "{svg}");
    }
}
