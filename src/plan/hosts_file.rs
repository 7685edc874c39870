//! The host-types file (`plan --hosts-file`): a YAML mapping from a type's name to its shape, read by the same
//! YAML 1.2 reader as `config.yaml` (nesting and alias limits included) after the bounded reader
//! (src/edges/input_limits.rs) has read it. A name may hold dots (`m6i.2xlarge`): fields are the last part of each
//! flattened key.
//!
//! ```yaml
//! m6i.2xlarge:
//!   cores: 8
//!   memory: 32 gb
//!   disk: ssd            # ssd, hdd or unknown (default unknown)
//!   disk-size: 475 gb    # optional: local disk for state
//!   price-per-hour: 0.384  # optional, your price
//!   max-count: 40        # optional
//!   kind: host           # host (default) or pod (a Kubernetes pod shape)
//! ```

use crate::flink::MemorySize;
use crate::flink::config::{Origin, parse_standard_yaml};
use crate::host::{DiskKind, HostSpec};

use super::error::PlanError;
use super::inputs::HostType;

/// The fields a host type may set.
pub(crate) const FIELDS: &[&str] = &[
    "cores",
    "memory",
    "disk",
    "disk-size",
    "price-per-hour",
    "max-count",
    "kind",
];

/// The most host types one file may list: a plan is a few dozen advisor runs per type.
pub(crate) const MAX_TYPES: usize = 64;

#[derive(Default)]
struct Fields {
    cores: Option<f64>,
    memory: Option<MemorySize>,
    disk: Option<DiskKind>,
    disk_size: Option<MemorySize>,
    price_per_hour: Option<f64>,
    max_count: Option<u32>,
    pod: bool,
    /// Where the type was first written, for errors about it as a whole.
    origin: String,
}

/// The host types `text` lists, in file order. `path` labels errors.
pub(crate) fn parse(path: &str, text: &str) -> Result<Vec<HostType>, PlanError> {
    let loaded = parse_standard_yaml(path, text).map_err(|error| PlanError::HostsFile {
        location: format!("{}:{}:{}", error.path, error.line, error.column),
        message: error.message,
    })?;
    let mut entries: Vec<_> = loaded.configuration.iter().collect();
    entries.sort_by_key(|(_, entry)| match &entry.origin {
        Origin::File { line, column, .. } => (*line, *column),
        Origin::DynamicProperty => (0, 0),
    });
    let mut types: Vec<(String, Fields)> = Vec::new();
    for (key, entry) in entries {
        let location = entry.origin.to_string();
        let fail = |message: String| PlanError::HostsFile {
            location: location.clone(),
            message,
        };
        let Some((name, field)) = key.rsplit_once('.') else {
            return Err(fail(format!(
                "'{key}' is not under a host type's name; write `NAME:` and its fields ({}) indented below it",
                FIELDS.join(", ")
            )));
        };
        let index = match types.iter().position(|(known, _)| known == name) {
            Some(index) => index,
            None => {
                if types.len() == MAX_TYPES {
                    return Err(fail(format!(
                        "more than {MAX_TYPES} host types; plan the likely ones"
                    )));
                }
                types.push((
                    name.to_string(),
                    Fields {
                        origin: location.clone(),
                        ..Fields::default()
                    },
                ));
                types.len() - 1
            }
        };
        let fields = &mut types[index].1;
        let value = entry.value.java_string();
        let value = value.trim();
        let field_error = |message: String| fail(format!("{name}.{field}: {message}"));
        match field {
            "cores" => fields.cores = Some(cores(value).map_err(field_error)?),
            "memory" => fields.memory = Some(size(value).map_err(field_error)?),
            "disk-size" => fields.disk_size = Some(size(value).map_err(field_error)?),
            "disk" => fields.disk = Some(disk(value).map_err(field_error)?),
            "price-per-hour" => fields.price_per_hour = Some(price(value).map_err(field_error)?),
            "max-count" => fields.max_count = Some(max_count(value).map_err(field_error)?),
            "kind" => {
                fields.pod = match value {
                    "host" => false,
                    "pod" => true,
                    other => {
                        return Err(field_error(format!("'{other}' is not one of host, pod")));
                    }
                }
            }
            unknown => {
                let hint = crate::text::suggest::closest(unknown, FIELDS.iter().copied())
                    .map(|known| format!(" (did you mean '{known}'?)"))
                    .unwrap_or_default();
                return Err(fail(format!(
                    "{name}: unknown field '{unknown}'{hint}; accepted fields: {}",
                    FIELDS.join(", ")
                )));
            }
        }
    }
    if types.is_empty() {
        return Err(PlanError::NoHostTypes(path.to_string()));
    }
    types
        .into_iter()
        .map(|(name, fields)| {
            let missing = |field: &str| PlanError::HostsFile {
                location: fields.origin.clone(),
                message: format!(
                    "{name}: {field} is missing; every host type needs cores and memory"
                ),
            };
            let cores = fields.cores.ok_or_else(|| missing("cores"))?;
            let memory = fields.memory.ok_or_else(|| missing("memory"))?;
            Ok(HostType {
                spec: HostSpec::planned(cores, memory, fields.disk.unwrap_or(DiskKind::Unknown)),
                name,
                disk_size: fields.disk_size,
                price_per_hour: fields.price_per_hour,
                max_count: fields.max_count,
                pod: fields.pod,
            })
        })
        .collect()
}

/// The most CPUs a host type may have: more than any machine sold, fewer than would make a plan slow.
const MAX_CORES: f64 = 4096.0;

fn cores(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|cores| cores.is_finite() && *cores >= 0.1 && *cores <= MAX_CORES)
        .ok_or_else(|| {
            format!("'{text}' is not a CPU count from 0.1 to {MAX_CORES}, e.g. 8 or 1.5")
        })
}

fn size(text: &str) -> Result<MemorySize, String> {
    let example = "write a size with a unit, e.g. 32 gb or 16384 mb";
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("'{text}' has no unit; {example}"));
    }
    match MemorySize::parse(text) {
        Ok(size) if size.bytes() > 0 => Ok(size),
        _ => Err(format!("'{text}' is not a size; {example}")),
    }
}

fn disk(text: &str) -> Result<DiskKind, String> {
    match text {
        "ssd" => Ok(DiskKind::Ssd),
        "hdd" => Ok(DiskKind::Hdd),
        "unknown" => Ok(DiskKind::Unknown),
        other => Err(format!("'{other}' is not one of ssd, hdd, unknown")),
    }
}

fn price(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|price| price.is_finite() && *price >= 0.0)
        .ok_or_else(|| format!("'{text}' is not a price per hour, e.g. 0.384"))
}

fn max_count(text: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .ok()
        .filter(|count| *count > 0)
        .ok_or_else(|| format!("'{text}' is not a whole number of hosts, at least 1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_with_dots_and_every_field() {
        let types = parse(
            "hosts.yaml",
            "m6i.2xlarge:\n  cores: 8\n  memory: 32 gb\n  disk: ssd\n  disk-size: 475 gb\n  price-per-hour: 0.384\n  \
             max-count: 40\nsmall-pod:\n  cores: 1.5\n  memory: 4096 mb\n  kind: pod\n",
        )
        .unwrap();
        assert_eq!(types.len(), 2);
        assert_eq!(types[0].name, "m6i.2xlarge");
        assert_eq!(types[0].spec.usable_cores().value, 8.0);
        assert_eq!(
            types[0].spec.usable_memory().value,
            MemorySize::gibibytes(32)
        );
        assert_eq!(types[0].spec.disk.value, DiskKind::Ssd);
        assert_eq!(types[0].disk_size, Some(MemorySize::gibibytes(475)));
        assert_eq!(types[0].price_per_hour, Some(0.384));
        assert_eq!(types[0].max_count, Some(40));
        assert!(!types[0].pod);
        assert_eq!(types[1].name, "small-pod");
        assert!(types[1].pod);
        assert_eq!(types[1].spec.disk.value, DiskKind::Unknown);
    }

    #[test]
    fn errors_name_the_place_and_the_fix() {
        let error = parse("h.yaml", "a:\n  cores: 8\n  memroy: 32 gb\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "h.yaml:3:11: a: unknown field 'memroy' (did you mean 'memory'?); accepted fields: cores, memory, disk, \
             disk-size, price-per-hour, max-count, kind"
        );
        let error = parse("h.yaml", "a:\n  cores: 8\n").unwrap_err();
        assert!(
            error.to_string().contains("a: memory is missing"),
            "{error}"
        );
        let error = parse("h.yaml", "a:\n  cores: 8\n  memory: 32\n").unwrap_err();
        assert!(error.to_string().contains("has no unit"), "{error}");
        let error = parse("h.yaml", "cores: 8\n").unwrap_err();
        assert!(
            error.to_string().contains("not under a host type"),
            "{error}"
        );
        let error = parse("h.yaml", "a:\n  cores: -1\n  memory: 1 gb\n").unwrap_err();
        assert!(error.to_string().contains("not a CPU count"), "{error}");
        let error = parse("h.yaml", "").unwrap_err();
        assert!(error.to_string().contains("lists no host types"), "{error}");
        let error = parse("h.yaml", "a: [1\n").unwrap_err();
        assert!(error.to_string().starts_with("h.yaml:"), "{error}");
    }
}
