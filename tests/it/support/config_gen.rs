//! Generates Flink configurations for the differential test: every derivation mode of the TaskManager and the
//! JobManager, explicit fractions and min/max, every unit spelling, deprecated and legacy keys, values Flink refuses,
//! in both file formats, with and without `-D` overrides. Deterministic for a seed, so a failure can be replayed.

use std::fmt::Write as _;

/// splitmix64: small, seedable, good enough to spread cases.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub(crate) fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Legacy,
    Standard,
}

/// One generated configuration.
#[derive(Debug, Clone)]
pub(crate) struct GeneratedConfig {
    pub(crate) kind: FileKind,
    /// key, value text, and whether to write it as a plain YAML float/int (true) or as the literal text.
    pub(crate) entries: Vec<(String, String)>,
    pub(crate) dynamic_properties: Vec<(String, String)>,
    /// Which derivation mode each side was generated for, to count coverage.
    pub(crate) tm_mode: &'static str,
    pub(crate) jm_mode: &'static str,
    pub(crate) nest: bool,
    pub(crate) quote: bool,
    /// A hand-written file text (boundary cases); when set, `entries` is ignored.
    pub(crate) raw: Option<String>,
}

const MIB: u64 = 1 << 20;

/// A size written with a randomly chosen spelling that denotes exactly `bytes`.
pub(crate) fn spell_size(rng: &mut Rng, bytes: u64) -> String {
    const UNITS: [(u64, &[&str]); 5] = [
        (1 << 40, &["t", "tb", "TB", "tebibytes"]),
        (1 << 30, &["g", "gb", "GB", "G", "gibibytes"]),
        (1 << 20, &["m", "mb", "MB", "M", "mebibytes", "Mb"]),
        (1 << 10, &["k", "kb", "KB", "kibibytes"]),
        (1, &["b", "bytes", ""]),
    ];
    let fitting: Vec<&(u64, &[&str])> = UNITS
        .iter()
        .filter(|(m, _)| bytes.is_multiple_of(*m))
        .collect();
    let (multiplier, spellings) = *rng.pick(&fitting);
    let unit = rng.pick(spellings);
    let space = if unit.is_empty() || rng.chance(70) {
        ""
    } else {
        " "
    };
    format!("{}{space}{unit}", bytes / multiplier)
}

fn size_in(rng: &mut Rng, low_mib: u64, high_mib: u64) -> String {
    let mut bytes = rng.range(low_mib, high_mib) * MIB;
    if rng.chance(12) {
        bytes += rng.below(MIB);
    }
    spell_size(rng, bytes)
}

fn fraction(rng: &mut Rng, low_percent: u64, high_percent: u64) -> String {
    let value = rng.range(low_percent * 10, high_percent * 10);
    let text = format!("{}.{:03}", value / 1000, value % 1000);
    let text = text.trim_end_matches('0').to_string();
    if text.ends_with('.') {
        format!("{text}0")
    } else {
        text
    }
}

/// Values Flink refuses for a size.
const BAD_SIZES: [&str; 6] = ["1.5g", "2 gib", "abc", "-5m", "2Gi", "99999999999999999999"];
/// Values Flink refuses for a fraction.
const BAD_FRACTIONS: [&str; 5] = ["1.0", "1.5", "-0.1", "abc", "1"];

struct Builder<'r> {
    rng: &'r mut Rng,
    entries: Vec<(String, String)>,
}

impl Builder<'_> {
    fn set(&mut self, key: &str, value: String) {
        self.entries.retain(|(k, _)| k != key);
        self.entries.push((key.to_string(), value));
    }

    fn maybe(&mut self, percent: u64, key: &str, value: impl FnOnce(&mut Rng) -> String) {
        if self.rng.chance(percent) {
            let value = value(self.rng);
            self.set(key, value);
        }
    }

    fn taskmanager(&mut self) -> &'static str {
        let modes = [
            "process",
            "process",
            "process",
            "flink",
            "flink",
            "fine-grained",
            "fine-grained+flink",
            "process+flink",
            "process+task-heap",
            "flink+task-heap",
            "process+managed",
            "legacy-heap",
            "legacy-buffers",
            "nothing",
        ];
        let mode = *self.rng.pick(&modes);
        let managed_key = if self.rng.chance(25) {
            "taskmanager.memory.size"
        } else {
            "taskmanager.memory.managed.size"
        };
        match mode {
            "process" => self.maybe(100, "taskmanager.memory.process.size", |r| {
                size_in(r, 500, 65536)
            }),
            "flink" => self.maybe(100, "taskmanager.memory.flink.size", |r| {
                size_in(r, 300, 65536)
            }),
            "fine-grained" => {
                self.maybe(100, "taskmanager.memory.task.heap.size", |r| {
                    size_in(r, 0, 8192)
                });
                self.maybe(100, managed_key, |r| size_in(r, 0, 8192));
            }
            "fine-grained+flink" => {
                self.maybe(100, "taskmanager.memory.task.heap.size", |r| {
                    size_in(r, 64, 2048)
                });
                self.maybe(100, managed_key, |r| size_in(r, 64, 2048));
                self.maybe(100, "taskmanager.memory.flink.size", |r| {
                    size_in(r, 512, 6144)
                });
            }
            "process+flink" => {
                self.maybe(100, "taskmanager.memory.flink.size", |r| {
                    size_in(r, 512, 8192)
                });
                self.maybe(100, "taskmanager.memory.process.size", |r| {
                    size_in(r, 800, 10240)
                });
            }
            "process+task-heap" => {
                self.maybe(100, "taskmanager.memory.process.size", |r| {
                    size_in(r, 1024, 16384)
                });
                self.maybe(100, "taskmanager.memory.task.heap.size", |r| {
                    size_in(r, 64, 4096)
                });
            }
            "flink+task-heap" => {
                self.maybe(100, "taskmanager.memory.flink.size", |r| {
                    size_in(r, 1024, 16384)
                });
                self.maybe(100, "taskmanager.memory.task.heap.size", |r| {
                    size_in(r, 64, 4096)
                });
            }
            "process+managed" => {
                self.maybe(100, "taskmanager.memory.process.size", |r| {
                    size_in(r, 1024, 16384)
                });
                self.maybe(100, managed_key, |r| size_in(r, 0, 4096));
            }
            "legacy-heap" => {
                if self.rng.chance(50) {
                    self.maybe(100, "taskmanager.heap.size", |r| size_in(r, 512, 8192));
                } else {
                    self.maybe(100, "taskmanager.heap.mb", |r| {
                        r.range(256, 8192).to_string()
                    });
                }
                self.maybe(30, "taskmanager.memory.process.size", |r| {
                    size_in(r, 1024, 12288)
                });
            }
            "legacy-buffers" => {
                self.maybe(100, "taskmanager.memory.process.size", |r| {
                    size_in(r, 1024, 8192)
                });
                self.maybe(100, "taskmanager.network.numberOfBuffers", |r| {
                    r.range(64, 8192).to_string()
                });
                self.maybe(40, "taskmanager.memory.segment-size", |r| {
                    r.pick(&["32kb", "64k", "16 kb", "4096", "1000b", "128kb"])
                        .to_string()
                });
            }
            _ => {}
        }
        let net = |r: &mut Rng, new: &'static str, old: &'static str| {
            if r.chance(25) { old } else { new }
        };
        let key = net(
            self.rng,
            "taskmanager.memory.network.fraction",
            "taskmanager.network.memory.fraction",
        );
        self.maybe(25, key, |r| fraction(r, 1, 40));
        let key = net(
            self.rng,
            "taskmanager.memory.network.min",
            "taskmanager.network.memory.min",
        );
        self.maybe(20, key, |r| size_in(r, 16, 512));
        let key = net(
            self.rng,
            "taskmanager.memory.network.max",
            "taskmanager.network.memory.max",
        );
        self.maybe(20, key, |r| size_in(r, 64, 4096));
        self.maybe(25, "taskmanager.memory.managed.fraction", |r| {
            fraction(r, 0, 90)
        });
        self.maybe(15, "taskmanager.memory.jvm-overhead.fraction", |r| {
            fraction(r, 1, 40)
        });
        self.maybe(15, "taskmanager.memory.jvm-overhead.min", |r| {
            size_in(r, 64, 512)
        });
        self.maybe(15, "taskmanager.memory.jvm-overhead.max", |r| {
            size_in(r, 256, 2048)
        });
        self.maybe(15, "taskmanager.memory.jvm-metaspace.size", |r| {
            size_in(r, 96, 1024)
        });
        self.maybe(10, "taskmanager.memory.framework.heap.size", |r| {
            size_in(r, 64, 512)
        });
        self.maybe(10, "taskmanager.memory.framework.off-heap.size", |r| {
            size_in(r, 64, 512)
        });
        self.maybe(15, "taskmanager.memory.task.off-heap.size", |r| {
            size_in(r, 0, 1024)
        });
        self.maybe(20, "taskmanager.numberOfTaskSlots", |r| {
            r.pick(&["1", "2", "4", "8", "16", "0", "x"]).to_string()
        });
        self.maybe(15, "taskmanager.cpu.cores", |r| {
            r.pick(&["1", "2.5", "4.0", "0", "0.5", "16"]).to_string()
        });
        if self.rng.chance(8) {
            let key = self
                .entries
                .iter()
                .filter(|(k, _)| k.ends_with(".size"))
                .map(|(k, _)| k.clone())
                .next();
            if let Some(key) = key {
                let bad = self.rng.pick(&BAD_SIZES).to_string();
                self.set(&key, bad);
            }
        }
        if self.rng.chance(6) {
            let key = *self.rng.pick(&[
                "taskmanager.memory.managed.fraction",
                "taskmanager.memory.network.fraction",
            ]);
            let bad = self.rng.pick(&BAD_FRACTIONS).to_string();
            self.set(key, bad);
        }
        mode
    }

    fn jobmanager(&mut self) -> &'static str {
        let modes = [
            "process",
            "process",
            "process",
            "flink",
            "heap",
            "heap+flink",
            "heap+flink+off-heap",
            "process+heap",
            "process+flink",
            "legacy-heap",
            "nothing",
        ];
        let mode = *self.rng.pick(&modes);
        match mode {
            "process" => self.maybe(100, "jobmanager.memory.process.size", |r| {
                size_in(r, 400, 32768)
            }),
            "flink" => self.maybe(100, "jobmanager.memory.flink.size", |r| {
                size_in(r, 100, 16384)
            }),
            "heap" => self.maybe(100, "jobmanager.memory.heap.size", |r| size_in(r, 32, 8192)),
            "heap+flink" => {
                self.maybe(100, "jobmanager.memory.heap.size", |r| {
                    size_in(r, 128, 4096)
                });
                self.maybe(100, "jobmanager.memory.flink.size", |r| {
                    size_in(r, 128, 4352)
                });
            }
            "heap+flink+off-heap" => {
                let heap = self.rng.range(128, 4096);
                let off = self.rng.range(0, 512);
                let flink = if self.rng.chance(60) {
                    heap + off
                } else {
                    heap + self.rng.range(0, 600)
                };
                let rng = &mut *self.rng;
                let values = [
                    spell_size(rng, heap * MIB),
                    spell_size(rng, off * MIB),
                    spell_size(rng, flink * MIB),
                ];
                self.set("jobmanager.memory.heap.size", values[0].clone());
                self.set("jobmanager.memory.off-heap.size", values[1].clone());
                self.set("jobmanager.memory.flink.size", values[2].clone());
            }
            "process+heap" => {
                self.maybe(100, "jobmanager.memory.process.size", |r| {
                    size_in(r, 1024, 8192)
                });
                self.maybe(100, "jobmanager.memory.heap.size", |r| {
                    size_in(r, 128, 6144)
                });
            }
            "process+flink" => {
                self.maybe(100, "jobmanager.memory.process.size", |r| {
                    size_in(r, 1024, 8192)
                });
                self.maybe(100, "jobmanager.memory.flink.size", |r| {
                    size_in(r, 512, 7168)
                });
            }
            "legacy-heap" => {
                if self.rng.chance(50) {
                    self.maybe(100, "jobmanager.heap.size", |r| size_in(r, 256, 4096));
                } else {
                    self.maybe(100, "jobmanager.heap.mb", |r| {
                        r.pick(&["512", "1024", "-1", "2048"]).to_string()
                    });
                }
            }
            _ => {}
        }
        self.maybe(20, "jobmanager.memory.off-heap.size", |r| {
            size_in(r, 0, 1024)
        });
        self.maybe(15, "jobmanager.memory.jvm-metaspace.size", |r| {
            size_in(r, 96, 1024)
        });
        self.maybe(15, "jobmanager.memory.jvm-overhead.fraction", |r| {
            fraction(r, 1, 40)
        });
        self.maybe(12, "jobmanager.memory.jvm-overhead.min", |r| {
            size_in(r, 64, 512)
        });
        self.maybe(12, "jobmanager.memory.jvm-overhead.max", |r| {
            size_in(r, 128, 2048)
        });
        self.maybe(
            15,
            "jobmanager.memory.enable-jvm-direct-memory-limit",
            |r| r.pick(&["true", "false", "TRUE", "yes"]).to_string(),
        );
        if self.rng.chance(6) {
            let key = self
                .entries
                .iter()
                .filter(|(k, _)| k.starts_with("jobmanager.memory.") && k.ends_with(".size"))
                .map(|(k, _)| k.clone())
                .next();
            if let Some(key) = key {
                let bad = self.rng.pick(&BAD_SIZES).to_string();
                self.set(&key, bad);
            }
        }
        mode
    }
}

/// Generates one configuration; `allow_legacy_file` is false for 2.x, which reads only config.yaml.
pub(crate) fn generate(rng: &mut Rng, allow_legacy_file: bool) -> GeneratedConfig {
    let mut builder = Builder {
        rng,
        entries: Vec::new(),
    };
    let tm_mode = builder.taskmanager();
    let jm_mode = builder.jobmanager();
    let mut dynamic_properties = Vec::new();
    if builder.rng.chance(20) {
        let overrides = [
            ("taskmanager.memory.process.size", 1024, 16384),
            ("jobmanager.memory.process.size", 1024, 8192),
            ("taskmanager.memory.network.max", 128, 2048),
            ("jobmanager.memory.jvm-metaspace.size", 128, 512),
        ];
        let (key, low, high) = *builder.rng.pick(&overrides);
        let value = size_in(builder.rng, low, high);
        dynamic_properties.push((key.to_string(), value));
    }
    let entries = builder.entries;
    let kind = if allow_legacy_file && rng.chance(50) {
        FileKind::Legacy
    } else {
        FileKind::Standard
    };
    GeneratedConfig {
        kind,
        entries,
        dynamic_properties,
        tm_mode,
        jm_mode,
        nest: rng.chance(35),
        quote: rng.chance(30),
        raw: None,
    }
}

/// Hand-written configurations at the exact edges random generation rarely hits: equalities in every comparison
/// Flink makes, zero and maximal sizes, Java `long` overflow, number syntax corners, and each file format's quirks.
/// Each is (legacy file?, text); legacy ones are only used for 1.x.
pub(crate) fn boundary_cases() -> Vec<(FileKind, &'static str)> {
    use FileKind::{Legacy, Standard};
    vec![
        // JobManager: Total Flink equal to off-heap is refused, one byte more leaves a 1-byte heap.
        (
            Standard,
            "jobmanager.memory.flink.size: 128m\ntaskmanager.memory.process.size: 2g\n",
        ),
        (
            Standard,
            "jobmanager.memory.flink.size: 134217729\ntaskmanager.memory.process.size: 2g\n",
        ),
        (
            Standard,
            "jobmanager.memory.heap.size: 1g\njobmanager.memory.flink.size: 1g\ntaskmanager.memory.process.size: 2g\n",
        ),
        (
            Standard,
            "jobmanager.memory.heap.size: 1g\njobmanager.memory.off-heap.size: 0\njobmanager.memory.flink.size: 1g\ntaskmanager.memory.flink.size: 1g\n",
        ),
        // TaskManager: task heap exactly zero, and one byte short of it.
        (
            Standard,
            "taskmanager.memory.flink.size: 320m\ntaskmanager.memory.managed.fraction: 0\ntaskmanager.memory.network.min: 64m\ntaskmanager.memory.network.max: 64m\njobmanager.memory.process.size: 1g\n",
        ),
        (
            Standard,
            "taskmanager.memory.flink.size: 335544319\ntaskmanager.memory.managed.fraction: 0\ntaskmanager.memory.network.min: 64m\ntaskmanager.memory.network.max: 64m\njobmanager.memory.process.size: 1g\n",
        ),
        // Network as the remainder: exactly its minimum, one byte below.
        (
            Standard,
            "taskmanager.memory.task.heap.size: 512m\ntaskmanager.memory.managed.size: 512m\ntaskmanager.memory.flink.size: 1344m\njobmanager.memory.process.size: 1g\n",
        ),
        (
            Standard,
            "taskmanager.memory.task.heap.size: 512m\ntaskmanager.memory.managed.size: 512m\ntaskmanager.memory.flink.size: 1409286143\njobmanager.memory.process.size: 1g\n",
        ),
        // Metaspace plus overhead equal to the process size, and overhead exactly at its max and one byte over.
        (
            Standard,
            "taskmanager.memory.process.size: 448m\njobmanager.memory.process.size: 448m\n",
        ),
        (
            Standard,
            "taskmanager.memory.flink.size: 2g\ntaskmanager.memory.process.size: 3328m\njobmanager.memory.flink.size: 1g\njobmanager.memory.process.size: 2304m\n",
        ),
        (
            Standard,
            "taskmanager.memory.flink.size: 2g\ntaskmanager.memory.process.size: 3489660929\njobmanager.memory.flink.size: 1g\njobmanager.memory.process.size: 2415919105\n",
        ),
        (
            Standard,
            "taskmanager.memory.flink.size: 2g\ntaskmanager.memory.process.size: 2303m\njobmanager.memory.flink.size: 1g\njobmanager.memory.process.size: 1279m\n",
        ),
        // Fractions at 0 and just under 1; ranges with min above max and min equal to max.
        (
            Standard,
            "taskmanager.memory.process.size: 4g\ntaskmanager.memory.managed.fraction: 0.0\ntaskmanager.memory.jvm-overhead.fraction: 0\njobmanager.memory.process.size: 4g\njobmanager.memory.jvm-overhead.fraction: 0.999\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 4g\ntaskmanager.memory.managed.fraction: 0.9999\njobmanager.memory.process.size: 2g\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 4g\ntaskmanager.memory.network.min: 512m\ntaskmanager.memory.network.max: 256m\njobmanager.memory.process.size: 2g\njobmanager.memory.jvm-overhead.min: 2g\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 4g\ntaskmanager.memory.network.min: 300m\ntaskmanager.memory.network.max: 300m\ntaskmanager.memory.network.fraction: 0.3\njobmanager.memory.process.size: 2g\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 4g\ntaskmanager.memory.jvm-overhead.min: 1g\ntaskmanager.memory.jvm-overhead.max: 1g\njobmanager.memory.process.size: 2g\njobmanager.memory.jvm-overhead.max: 100m\n",
        ),
        // Java long limits: the largest size, an overflowing sum, a number too large for a long.
        (
            Standard,
            "taskmanager.memory.process.size: 9223372036854775807\njobmanager.memory.process.size: 9223372036854775807b\n",
        ),
        (
            Standard,
            "taskmanager.memory.task.heap.size: 8000000t\ntaskmanager.memory.managed.size: 1m\njobmanager.memory.heap.size: 8388607t\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 8388608t\njobmanager.memory.process.size: 9223372036854775808\n",
        ),
        (
            Standard,
            "taskmanager.memory.flink.size: 8388607t\ntaskmanager.memory.managed.fraction: 0.9\njobmanager.memory.flink.size: 8388607t\n",
        ),
        // Sizes: a bare number is bytes; every unit word; spaces; case.
        (
            Standard,
            "taskmanager.memory.process.size: 1728\njobmanager.memory.process.size: 1600 mebibytes\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 2 GIBIBYTES\njobmanager.memory.process.size: 1048576 kibibytes\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 0.002 t\njobmanager.memory.process.size: ''\n",
        ),
        // CPU cores and slots.
        (
            Standard,
            "taskmanager.memory.process.size: 2g\ntaskmanager.cpu.cores: 0.0\njobmanager.memory.process.size: 1g\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 2g\ntaskmanager.cpu.cores: -1\njobmanager.memory.process.size: 1g\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 2g\ntaskmanager.numberOfTaskSlots: 0\ntaskmanager.cpu.cores: 2\njobmanager.memory.process.size: 1g\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 2g\ntaskmanager.cpu.cores: 1e1\ntaskmanager.numberOfTaskSlots: '+3'\njobmanager.memory.process.size: 1g\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 2g\ntaskmanager.cpu.cores: 12345678.5\njobmanager.memory.process.size: 1g\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 2g\ntaskmanager.numberOfTaskSlots: 4.0\njobmanager.memory.process.size: 1g\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 2g\ntaskmanager.numberOfTaskSlots: 3000000000\njobmanager.memory.process.size: 1g\n",
        ),
        // Float syntax Java accepts.
        (
            Standard,
            "taskmanager.memory.process.size: 2g\ntaskmanager.memory.managed.fraction: '0.25f'\ntaskmanager.memory.network.fraction: 4e-1\njobmanager.memory.process.size: 1g\njobmanager.memory.jvm-overhead.fraction: '+.2'\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 2g\ntaskmanager.memory.managed.fraction: .nan\njobmanager.memory.process.size: 1g\n",
        ),
        // YAML core schema: hex integers, booleans, nesting mixed with flat keys (the later one wins).
        (
            Standard,
            "taskmanager.memory.process.size: 0x80000000\njobmanager.memory.process.size: 0o20000000000\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: 1g\ntaskmanager:\n  memory:\n    process.size: 3g\njobmanager:\n  memory:\n    process:\n      size: 1g\n    enable-jvm-direct-memory-limit: true\n",
        ),
        (
            Standard,
            "taskmanager.memory.process.size: true\njobmanager.memory.process.size: 1g\njobmanager.memory.enable-jvm-direct-memory-limit: 'TRUE'\n",
        ),
        // Network buffers of 1.x: segment size rules and a negative count.
        (
            Legacy,
            "taskmanager.memory.process.size: 2g\ntaskmanager.network.numberOfBuffers: 4096\ntaskmanager.memory.segment-size: 1000b\njobmanager.memory.process.size: 1g\n",
        ),
        (
            Legacy,
            "taskmanager.memory.process.size: 2g\ntaskmanager.network.numberOfBuffers: 4096\ntaskmanager.memory.segment-size: 48kb\njobmanager.memory.process.size: 1g\n",
        ),
        (
            Legacy,
            "taskmanager.memory.process.size: 2g\ntaskmanager.network.numberOfBuffers: -5\njobmanager.memory.process.size: 1g\n",
        ),
        (
            Legacy,
            "taskmanager.memory.flink.size: 2g\ntaskmanager.memory.task.heap.size: 1g\ntaskmanager.network.numberOfBuffers: 2048\njobmanager.memory.process.size: 1g\n",
        ),
        // Legacy heap keys (1.x) and their precedence.
        (
            Legacy,
            "taskmanager.heap.size: 2g\ntaskmanager.heap.mb: 1024\njobmanager.heap.mb: 768\n",
        ),
        (
            Legacy,
            "taskmanager.heap.size: 2g\ntaskmanager.memory.flink.size: 1g\njobmanager.heap.size: 1g\njobmanager.memory.heap.size: 512m\n",
        ),
        (
            Standard,
            "taskmanager.heap.size: 2g\njobmanager.heap.size: 1g\n",
        ),
        // The legacy reader's quirks: '#' cuts values, no space after ':', duplicates, nested YAML misread.
        (
            Legacy,
            "taskmanager.memory.process.size: 2g#3g\njobmanager.memory.process.size:1600m\n",
        ),
        (
            Legacy,
            "taskmanager.memory.process.size: 2g\ntaskmanager.memory.process.size: 3g\njobmanager.memory.process.size: 1g\n  jobmanager.memory.process.size: 2g\n",
        ),
        (
            Legacy,
            "taskmanager:\n  memory:\n    process.size: 2g\njobmanager.memory.process.size: \"1g\"\n",
        ),
        (
            Legacy,
            "taskmanager.memory.process.size:    4g   \r\njobmanager.memory.process.size: 2g\r\n",
        ),
    ]
}

impl GeneratedConfig {
    pub(crate) fn file_name(&self) -> &'static str {
        match self.kind {
            FileKind::Legacy => "flink-conf.yaml",
            FileKind::Standard => "config.yaml",
        }
    }

    /// The file text: legacy lines with comments, or YAML with some keys nested and some values quoted.
    pub(crate) fn render(&self) -> String {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let mut out = String::from("# generated by flinktune's differential test\n");
        match self.kind {
            FileKind::Legacy => {
                for (i, (key, value)) in self.entries.iter().enumerate() {
                    let comment = if i % 3 == 0 {
                        "   # a trailing comment"
                    } else {
                        ""
                    };
                    let _ = writeln!(out, "{key}: {value}{comment}");
                }
            }
            FileKind::Standard => {
                let quote = |value: &str| {
                    if self.quote || value.contains(": ") || value.starts_with(['-', ' ']) {
                        format!("'{value}'")
                    } else {
                        value.to_string()
                    }
                };
                let (nested, flat): (Vec<_>, Vec<_>) = self
                    .entries
                    .iter()
                    .partition(|(key, _)| self.nest && key.starts_with("taskmanager.memory."));
                for (key, value) in flat {
                    let _ = writeln!(out, "{key}: {}", quote(value));
                }
                if !nested.is_empty() {
                    out.push_str("taskmanager:\n  memory:\n");
                    for (key, value) in nested {
                        let rest = key.trim_start_matches("taskmanager.memory.");
                        let _ = writeln!(out, "    {rest}: {}", quote(value));
                    }
                }
            }
        }
        out
    }
}
