//! The city's districts (Kraków's 18 by default), read from a CSV that a deployment may replace.

use serde::Serialize;

/// The built-in registry: Kraków, residents on 31 Dec 2019 (see `migrations/seed/README.md`).
pub const KRAKOW_CSV: &str = include_str!("../../migrations/seed/krakow-districts.csv");

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct District {
    pub number: i64,
    pub roman: String,
    pub name: String,
    pub area_km2: f64,
    pub population: i64,
}

impl District {
    /// How pages name a district: "VIII Dębniki".
    pub fn label(&self) -> String {
        format!("{} {}", self.roman, self.name)
    }
}

/// Parses `number,roman,name,area_km2,population…` with a header line. Errors name the line.
pub fn parse_csv(text: &str) -> Result<Vec<District>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split(',').map(str::trim).collect();
        let err = |what: &str| format!("districts CSV line {}: {what}", i + 1);
        if cols.len() < 5 {
            return Err(err("expected 5 columns: number,roman,name,area_km2,population"));
        }
        out.push(District {
            number: cols[0].parse().map_err(|_| err("number is not an integer"))?,
            roman: cols[1].to_string(),
            name: cols[2].to_string(),
            area_km2: cols[3].parse().map_err(|_| err("area is not a number"))?,
            population: cols[4].parse().map_err(|_| err("population is not an integer"))?,
        });
    }
    if out.is_empty() {
        return Err("districts CSV has no rows".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn krakow_has_18_districts_and_709_400_residents() {
        let d = parse_csv(KRAKOW_CSV).unwrap();
        assert_eq!(d.len(), 18);
        assert_eq!(d.iter().map(|d| d.population).sum::<i64>(), 709_400);
        assert_eq!(d[0].name, "Stare Miasto");
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let e = parse_csv("h\n1,I,A,1.0,x\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }
}
