//! The shared vocabulary of the memory model (derivation.rs) and its errors (error.rs) at their boundaries: a
//! fraction's range, a derived size exactly at its min or max (Flink logs a cap only past them), the inverse fraction,
//! the deprecated-key note, which errors Flink wraps in its context and which key a report blames (issue 15,
//! docs/mutants.md; Flink's rules: docs/flink-memory-model.md, "Arithmetic").

use super::derivation::{Derivation, RangeFraction};
use super::error::{MemoryError, RangeError};
use super::taskmanager_tests::config;
use crate::flink::memory_size::{MemorySize, SizeArithmeticError};
use crate::flink::options::{ConfigOption, jobmanager as jm, taskmanager as tm};
use crate::flink::version::FlinkVersion;

const V2: FlinkVersion = FlinkVersion::line(2, 3);

fn bytes(bytes: u64) -> MemorySize {
    MemorySize::from_bytes(bytes)
}

fn range(min: u64, max: u64, fraction: f64) -> RangeFraction {
    RangeFraction {
        min: bytes(min),
        max: bytes(max),
        fraction,
    }
}

#[test]
fn a_derived_size_is_capped_and_noted_only_past_its_range() {
    let configuration = config(&[]);
    let mut d = Derivation::new(&configuration, V2);
    let half = range(100, 200, 0.5);
    assert_eq!(
        d.derive_with_fraction("managed memory", bytes(400), half),
        Ok(bytes(200))
    );
    assert_eq!(
        d.derive_with_fraction("managed memory", bytes(200), half),
        Ok(bytes(100))
    );
    assert_eq!(
        d.derive_with_fraction("managed memory", bytes(300), half),
        Ok(bytes(150))
    );
    assert!(d.into_notes().is_empty());

    let mut d = Derivation::new(&configuration, V2);
    assert_eq!(
        d.derive_with_fraction("network memory", bytes(402), half),
        Ok(bytes(200))
    );
    assert_eq!(
        d.derive_with_fraction("network memory", bytes(198), half),
        Ok(bytes(100))
    );
    assert_eq!(
        d.into_notes(),
        [
            "The derived from fraction network memory (201 bytes) is greater than its max value 200 bytes, max value \
             will be used instead",
            "The derived from fraction network memory (99 bytes) is less than its min value 100 bytes, min value will \
             be used instead",
        ]
    );
}

#[test]
fn the_inverse_fraction_is_f_over_one_minus_f_of_the_rest() {
    let configuration = config(&[]);
    let mut d = Derivation::new(&configuration, V2);
    // Half of a whole whose other half is 300 bytes: 300 bytes.
    assert_eq!(
        d.derive_with_inverse_fraction("network memory", bytes(300), range(0, 1000, 0.5)),
        Ok(bytes(300))
    );
    // A quarter: 300 × 0.25 / 0.75 = 100, which Flink's double division gives as 99.99…, truncated.
    assert_eq!(
        d.derive_with_inverse_fraction("network memory", bytes(300), range(0, 1000, 0.25)),
        Ok(bytes(99))
    );
    assert_eq!(
        d.derive_with_inverse_fraction("network memory", bytes(300), range(0, 50, 0.5)),
        Ok(bytes(50))
    );
    assert_eq!(d.into_notes().len(), 1);
}

#[test]
fn a_range_needs_min_at_most_max_and_a_fraction_in_zero_to_one() {
    let read = |fraction: &str, min: u64, max: u64| {
        let configuration = config(&[("taskmanager.memory.managed.fraction", fraction)]);
        Derivation::new(&configuration, V2).range_fraction(
            bytes(min),
            bytes(max),
            &tm::MANAGED_MEMORY_FRACTION,
        )
    };
    assert_eq!(read("0.5", 7, 7), Ok(range(7, 7, 0.5)));
    assert_eq!(read("0", 0, 7), Ok(range(0, 7, 0.0)));
    let refused = |fraction: &str, min: u64, max: u64, cause| MemoryError::InconsistentRange {
        option: tm::MANAGED_MEMORY_FRACTION.describe(V2),
        key: "taskmanager.memory.managed.fraction",
        fraction: fraction.into(),
        min: bytes(min),
        max: bytes(max),
        cause,
    };
    assert_eq!(
        read("0.5", 8, 7),
        Err(refused("0.5", 8, 7, RangeError::MinAboveMax))
    );
    assert_eq!(
        read("1", 0, 7),
        Err(refused("1.0", 0, 7, RangeError::FractionOutOfRange))
    );
    assert_eq!(
        read("-0.5", 0, 7),
        Err(refused("-0.5", 0, 7, RangeError::FractionOutOfRange))
    );
    assert_eq!(
        read("1", 0, 7).unwrap_err().chain(),
        [
            "Inconsistently configured Key: 'taskmanager.memory.managed.fraction' , default: 0.4 (fallback keys: []) \
             (1.0) and its min (0 bytes), max (7 bytes) value",
            "fraction must be in range [0, 1)",
        ]
    );
}

#[test]
fn a_deprecated_key_is_noted_once_and_the_proper_key_never() {
    let deprecated = config(&[("taskmanager.network.memory.min", "32m")]);
    let mut d = Derivation::new(&deprecated, V2);
    assert!(d.contains(&tm::NETWORK_MEMORY_MIN));
    assert!(!d.contains(&tm::NETWORK_MEMORY_MAX));
    assert_eq!(
        d.memory(&tm::NETWORK_MEMORY_MIN),
        Ok(MemorySize::mebibytes(32))
    );
    assert_eq!(
        d.memory(&tm::NETWORK_MEMORY_MIN),
        Ok(MemorySize::mebibytes(32))
    );
    assert_eq!(
        d.into_notes(),
        [
            "Config uses deprecated configuration key 'taskmanager.network.memory.min' instead of proper key \
             'taskmanager.memory.network.min'"
        ]
    );
    let proper = config(&[
        ("taskmanager.memory.network.min", "32m"),
        ("taskmanager.numberOfTaskSlots", "4"),
    ]);
    let mut d = Derivation::new(&proper, V2);
    assert_eq!(
        d.memory(&tm::NETWORK_MEMORY_MIN),
        Ok(MemorySize::mebibytes(32))
    );
    assert_eq!(d.value(&tm::NUM_TASK_SLOTS), Ok(Some(4)));
    assert!(d.into_notes().is_empty());
}

#[test]
fn a_size_that_does_not_parse_is_named_with_its_option() {
    let configuration = config(&[("taskmanager.memory.managed.size", "1.5g")]);
    let error = Derivation::new(&configuration, V2)
        .memory(&tm::MANAGED_MEMORY_SIZE)
        .unwrap_err();
    assert!(matches!(
        error,
        MemoryError::CannotReadMemorySize { key, .. } if key == "taskmanager.memory.managed.size"
    ));
    assert_eq!(
        error.chain()[..2],
        [
            "Cannot read memory size from config option 'taskmanager.memory.managed.size'.",
            "Could not parse value '1.5g' for key 'taskmanager.memory.managed.size'.",
        ]
    );
}

#[test]
fn only_configuration_errors_take_flinks_context() {
    let arithmetic = MemoryError::Arithmetic(SizeArithmeticError::Overflow);
    assert!(!arithmetic.is_illegal_configuration());
    assert_eq!(arithmetic.clone().in_context("ctx: "), arithmetic);
    let nothing = MemoryError::NothingConfigured {
        fine_grained: String::new(),
        total_flink: String::new(),
        total_process: String::new(),
    };
    assert!(nothing.is_illegal_configuration());
    assert_eq!(
        nothing.clone().in_context("ctx: "),
        MemoryError::Context {
            context: "ctx: ",
            cause: Box::new(nothing),
        }
    );
}

#[test]
fn a_refusal_blames_the_setting_to_change() {
    let size = MemorySize::ZERO;
    let inconsistent = |fraction: &ConfigOption<f32>, cause| MemoryError::InconsistentRange {
        option: fraction.describe(V2),
        key: fraction.key,
        fraction: "0.1".into(),
        min: size,
        max: size,
        cause,
    };
    let blamed = [
        (
            inconsistent(&tm::NETWORK_MEMORY_FRACTION, RangeError::MinAboveMax),
            Some("network."),
        ),
        (
            inconsistent(&tm::JVM_OVERHEAD_FRACTION, RangeError::MinAboveMax),
            Some("jvm-overhead."),
        ),
        (
            inconsistent(&jm::JVM_OVERHEAD_FRACTION, RangeError::FractionOutOfRange),
            Some("jobmanager.memory.jvm-overhead.fraction"),
        ),
        (
            MemoryError::Context {
                context: "ctx: ",
                cause: Box::new(MemoryError::NetworkRemainderInconsistent(Box::new(
                    MemoryError::NetworkOutOfRange {
                        derived: size,
                        min: size,
                        max: size,
                    },
                ))),
            },
            Some("network."),
        ),
        (
            MemoryError::ProcessBelowFlinkAndMetaspace {
                total_process: size,
                total_flink: size,
                metaspace: size,
            },
            Some("process.size"),
        ),
        (
            MemoryError::TotalFlinkBelowOffHeap {
                total_flink: size,
                off_heap: size,
            },
            Some("flink.size"),
        ),
        (
            MemoryError::HeapExceedsTotalFlink {
                heap: size,
                total_flink: size,
            },
            Some("heap.size"),
        ),
        (
            MemoryError::NonPositiveCpuCores {
                key: "taskmanager.cpu.cores",
            },
            Some("taskmanager.cpu.cores"),
        ),
        (MemoryError::LegacyHeapMegabytesNegative(-1), None),
    ];
    for (error, part) in blamed {
        assert_eq!(error.blamed_key_part(), part, "{error:?}");
    }
}
