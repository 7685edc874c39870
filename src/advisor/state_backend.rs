//! The state backend. Flink's docs ("State Backends"): HashMapStateBackend keeps state as objects on the heap, fast
//! but bounded by the heap and snapshotted in full; RocksDB keeps it serialized on local disk, bounded by disk, with
//! incremental checkpoints, and is the choice for large state. ForSt (2.x) is disaggregated state on remote storage,
//! still young, so flinktune uses it only when asked.

use crate::flink::job_options::{StateBackendKind, state};
use crate::flink::{FlinkVersion, MemorySize};
use crate::profile::{JobProfile, Runtime};

use super::error::AdviceError;
use super::setting::{Group, Input, Setting, SettingValue};
use super::{AdviceInput, Layout};
use crate::text::units::show;

/// Java objects take several times their serialized size on the heap (headers, boxed values, hash-map entries);
/// 3x is a conservative middle of what Flink users report for POJO and Row state.
pub(crate) const HEAP_EXPANSION: u64 = 3;
/// State may use at most half the task heap, leaving the rest for records in flight and user code.
pub(crate) const HEAP_STATE_SHARE: f64 = 0.5;

/// ForSt's own reason (issue 11, case 10). Flink docs ("Disaggregated State Management", 2.0): ForSt keeps the
/// primary copy of state on the remote file system, with local disk and managed memory as caches, so checkpoints and
/// restores move little data; it pays off with asynchronous state access (Flink 2.x SQL operators and the State V2
/// API), which hides remote reads, and costs throughput for synchronous access.
const FORST_WHY: &str = "chosen in the profile (state-backend: forst): ForSt keeps state on the remote file system \
     with local disk and managed memory as caches, so checkpoints and restores move little data; it pays off for \
     state larger than local disks and for jobs with asynchronous state access (2.x SQL operators, State V2 API), \
     and reads remote data on a cache miss otherwise";

/// Declared state from which the heap backend is not chosen even where it fits the heaps: every checkpoint of the
/// heap backend writes all of it (check's risk rule uses the same bound).
pub(crate) const LARGE_HEAP_STATE: MemorySize = MemorySize::gibibytes(50);

/// The backend and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendChoice {
    pub kind: StateBackendKind,
    pub why: String,
}

/// Chooses the backend for a TaskManager holding `state_per_taskmanager` with `task_heap` of heap for tasks (as the
/// memory model derives it with no managed memory). `None` for batch jobs, which keep no checkpointed state.
pub(crate) fn choose(
    profile: &JobProfile,
    version: FlinkVersion,
    state_per_taskmanager: MemorySize,
    task_heap: MemorySize,
) -> Result<Option<BackendChoice>, AdviceError> {
    if profile.runtime == Runtime::Batch {
        return Ok(None);
    }
    if let Some(kind) = profile.state_backend.fixed() {
        if !kind.available_in(version) {
            return Err(AdviceError::ForStNeeds2x(version.to_string()));
        }
        let why = if kind == StateBackendKind::ForSt {
            FORST_WHY.to_string()
        } else {
            format!(
                "chosen in the profile (state-backend: {})",
                kind.flink_name()
            )
        };
        return Ok(Some(BackendChoice { kind, why }));
    }
    let heap_needed = state_per_taskmanager.bytes().saturating_mul(HEAP_EXPANSION);
    let heap_allowed = (task_heap.bytes() as f64 * HEAP_STATE_SHARE) as u64;
    if profile.state_size.is_none() {
        return Ok(Some(BackendChoice {
            kind: StateBackendKind::HashMap,
            why: format!(
                "state size unknown: the heap backend serves the common small-state job best (measured 3x RocksDB's \
                 throughput on a small-state aggregation) and holds up to {} of state per TaskManager here (half the \
                 {} task heap, at {HEAP_EXPANSION}x as objects); {}",
                show(MemorySize::from_bytes(heap_allowed / HEAP_EXPANSION)),
                show(task_heap),
                super::state_size::HOW_TO_TELL
            ),
        }));
    }
    let total = profile.state_size.unwrap_or(MemorySize::ZERO);
    if total >= LARGE_HEAP_STATE && heap_needed <= heap_allowed {
        return Ok(Some(BackendChoice {
            kind: StateBackendKind::RocksDb,
            why: format!(
                "{} of state in all: the heap backend would write all of it at every checkpoint; RocksDB uploads \
                 only what changed (incremental checkpoints)",
                show(total)
            ),
        }));
    }
    Ok(Some(if heap_needed <= heap_allowed {
        BackendChoice {
            kind: StateBackendKind::HashMap,
            why: format!(
                "{} of state per TaskManager fits the heap ({} as objects, half of the {} task heap allows {})",
                show(state_per_taskmanager),
                show(MemorySize::from_bytes(heap_needed)),
                show(task_heap),
                show(MemorySize::from_bytes(heap_allowed))
            ),
        }
    } else {
        BackendChoice {
            kind: StateBackendKind::RocksDb,
            why: format!(
                "{} of state per TaskManager does not fit the heap (about {} as objects, half of the {} task heap \
                 allows {}): RocksDB keeps it on local disk",
                show(state_per_taskmanager),
                show(MemorySize::from_bytes(heap_needed)),
                show(task_heap),
                show(MemorySize::from_bytes(heap_allowed))
            ),
        }
    }))
}

/// The backend and incremental-checkpoint settings.
pub(crate) fn settings(input: &AdviceInput, layout: &Layout) -> Result<Vec<Setting>, AdviceError> {
    let version = input.version;
    let Some(choice) = &layout.backend else {
        return Ok(Vec::new());
    };
    let state_input = Input::new(
        "state per TaskManager",
        super::state_size::shown_per_taskmanager(input.profile, layout.state_per_taskmanager),
    );
    let mut settings = vec![
        Setting::new(
            Group::State,
            state::BACKEND.for_version(version),
            SettingValue::Word(choice.kind.flink_name()),
            choice.why.clone(),
        )
        .from_inputs([
            state_input,
            Input::new(
                "profile.state-size",
                input.profile.state_size.map_or("unknown".to_string(), show),
            ),
            Input::new("profile.state-backend", input.profile.state_backend),
        ]),
    ];
    if choice.kind != StateBackendKind::HashMap {
        settings.push(Setting::new(
            Group::State,
            state::INCREMENTAL.for_version(version),
            SettingValue::Bool(true),
            "upload only the files changed since the last checkpoint (Flink docs: incremental checkpoints for large state)",
        ));
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flink::FlinkVersion;
    use crate::profile::embedded::embedded_profile;

    #[test]
    fn hashmap_while_three_times_the_state_fits_half_the_heap() {
        let mut profile = embedded_profile("balanced").unwrap();
        profile.state_size = Some(MemorySize::gibibytes(10));
        let v = FlinkVersion::line(2, 3);
        let heap = MemorySize::gibibytes(12);
        let pick = |state_gib| {
            choose(&profile, v, MemorySize::gibibytes(state_gib), heap)
                .unwrap()
                .unwrap()
                .kind
        };
        assert_eq!(pick(2), StateBackendKind::HashMap);
        assert_eq!(pick(3), StateBackendKind::RocksDb);
    }

    #[test]
    fn unknown_state_takes_the_heap_backend_and_says_how_much_it_holds() {
        let profile = embedded_profile("balanced").unwrap();
        assert_eq!(profile.state_size, None);
        let choice = choose(
            &profile,
            FlinkVersion::line(2, 3),
            MemorySize::ZERO,
            MemorySize::gibibytes(12),
        )
        .unwrap()
        .unwrap();
        assert_eq!(choice.kind, StateBackendKind::HashMap);
        assert!(choice.why.contains("holds up to 2 GiB"), "{}", choice.why);
        assert!(choice.why.contains("--state-size"), "{}", choice.why);
    }

    #[test]
    fn batch_has_none_and_forst_needs_2x() {
        let batch = embedded_profile("batch").unwrap();
        let v = FlinkVersion::line(1, 20);
        assert_eq!(
            choose(&batch, v, MemorySize::ZERO, MemorySize::gibibytes(1)).unwrap(),
            None
        );
        let mut forst = embedded_profile("balanced").unwrap();
        forst.state_backend = crate::profile::BackendChoice::ForSt;
        assert!(choose(&forst, v, MemorySize::ZERO, MemorySize::gibibytes(1)).is_err());
        assert!(
            choose(
                &forst,
                FlinkVersion::line(2, 0),
                MemorySize::ZERO,
                MemorySize::gibibytes(1)
            )
            .is_ok()
        );
    }

    /// Worked examples added for issue 15 (docs/mutants.md).
    mod worked_examples {
        use super::*;

        #[test]
        fn a_backend_fixed_in_the_profile_says_so() {
            let mut profile = embedded_profile("balanced").unwrap();
            let v = FlinkVersion::line(2, 3);
            let pick = |profile: &JobProfile| {
                choose(profile, v, MemorySize::ZERO, MemorySize::gibibytes(1))
                    .unwrap()
                    .unwrap()
            };
            profile.state_backend = crate::profile::BackendChoice::RocksDb;
            assert_eq!(
                pick(&profile),
                BackendChoice {
                    kind: StateBackendKind::RocksDb,
                    why: "chosen in the profile (state-backend: rocksdb)".to_string()
                }
            );
            profile.state_backend = crate::profile::BackendChoice::ForSt;
            assert_eq!(
                pick(&profile),
                BackendChoice {
                    kind: StateBackendKind::ForSt,
                    why: FORST_WHY.to_string()
                }
            );
        }

        #[test]
        fn fifty_gib_of_state_in_all_takes_rocksdb_where_the_heaps_would_hold_it() {
            // 2 GiB per TaskManager is 6 GiB as objects, exactly the half of a 12 GiB task heap the state may take.
            let mut profile = embedded_profile("balanced").unwrap();
            let v = FlinkVersion::line(2, 3);
            let mut pick = |total: MemorySize| {
                profile.state_size = Some(total);
                choose(
                    &profile,
                    v,
                    MemorySize::gibibytes(2),
                    MemorySize::gibibytes(12),
                )
                .unwrap()
                .unwrap()
            };
            assert_eq!(
                pick(MemorySize::gibibytes(50)),
                BackendChoice {
                    kind: StateBackendKind::RocksDb,
                    why: "50 GiB of state in all: the heap backend would write all of it at every checkpoint; RocksDB \
                          uploads only what changed (incremental checkpoints)"
                        .to_string()
                }
            );
            assert_eq!(
                pick(MemorySize::from_bytes((50 << 30) - 1)),
                BackendChoice {
                    kind: StateBackendKind::HashMap,
                    why: "2 GiB of state per TaskManager fits the heap (6 GiB as objects, half of the 12 GiB task heap \
                          allows 6 GiB)"
                        .to_string()
                }
            );
        }
    }
}
