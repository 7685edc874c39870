//! The shape of the cluster on each host: how many TaskManagers, their cores, slots and process memory, and the
//! memory settings that go with the state backend. These decisions depend on each other (the backend depends on the
//! heap, the heap on the managed fraction, which depends on the backend), so a layout is planned for one, two, ...
//! TaskManagers per host and the first whose JVM heap stays under the compressed-pointer limit wins.

use crate::flink::memory::taskmanager_memory;
use crate::flink::options::{jobmanager as jm, taskmanager as tm};
use crate::flink::{FlinkVersion, MemorySize};
use crate::host::Source;
use crate::profile::{Deployment, Mode, Purpose};

use super::error::AdviceError;
use super::reserve::{HostBudget, host_budget};
use super::setting::{Group, Input, Setting, SettingValue};
use super::state_backend::BackendChoice;
use super::{AdviceInput, as_configuration, jobmanager, managed_memory, slots, state_backend};
use crate::text::units::{cores as show_cores, show};

/// HotSpot compresses object pointers up to a 32 GiB heap; past that every reference doubles and a 40 GiB heap holds
/// less than a 31 GiB one. flinktune keeps each TaskManager's heap under 31 GiB and splits the host otherwise.
pub(crate) const HEAP_LIMIT: MemorySize = MemorySize::gibibytes(31);
/// Slots get at least this much process memory; below it, fewer slots.
pub(crate) const MIN_PROCESS_PER_SLOT: MemorySize = MemorySize::mebibytes(512);
/// Every slot keeps at least this much task heap, whatever managed memory wants.
pub(crate) const MIN_TASK_HEAP_PER_SLOT: MemorySize = MemorySize::mebibytes(128);
/// Session clusters load every job's classes into metaspace; Flink's troubleshooting guide answers
/// "OutOfMemoryError: Metaspace" by raising `taskmanager.memory.jvm-metaspace.size` (default 256 MiB).
pub(crate) const SESSION_METASPACE: MemorySize = MemorySize::mebibytes(512);

/// Flink sizes network memory as a tenth of Flink memory; from 1.17 without an upper bound, so a large TaskManager
/// holds gibibytes of buffers no shuffle uses. Until 1.16 the bound was 1 GiB; flinktune restores it where the
/// job's shuffles need less (Flink docs, "Network memory tuning guide").
pub(crate) const NETWORK_CAP: MemorySize = MemorySize::gibibytes(1);
/// The buffer estimate per task and input gate: 2 exclusive buffers per channel plus 8 floating per gate on the
/// input side, one buffer per subpartition plus one on the output side (`taskmanager.network.memory.buffers-per-
/// channel`, `floating-buffers-per-gate`), for 2 shuffles per task, of 32 KiB segments, doubled for headroom.
const EXCLUSIVE_BUFFERS_PER_CHANNEL: u64 = 2;
const FLOATING_BUFFERS_PER_GATE: u64 = 8;
const SHUFFLES_PER_TASK: u64 = 2;
const SEGMENT_BYTES: u64 = 32 << 10;
const NETWORK_HEADROOM: u64 = 2;

/// Network memory the shuffles of `slots` tasks need when every task talks to `parallelism` others.
pub(crate) fn network_need(slots: u32, parallelism: u32) -> MemorySize {
    let channels = u64::from(parallelism);
    let buffers_per_gate =
        channels * EXCLUSIVE_BUFFERS_PER_CHANNEL + FLOATING_BUFFERS_PER_GATE + channels + 1;
    MemorySize::from_bytes(
        u64::from(slots)
            .saturating_mul(SHUFFLES_PER_TASK)
            .saturating_mul(buffers_per_gate)
            .saturating_mul(SEGMENT_BYTES)
            .saturating_mul(NETWORK_HEADROOM),
    )
}

/// `taskmanager.memory.network.max` when a tenth of Flink memory (`derived`) is more than [`NETWORK_CAP`] and more than
/// the shuffles of `slots` tasks among `subtasks` need.
fn network_cap(derived: MemorySize, slots: u32, subtasks: u32) -> Option<Setting> {
    let need = network_need(slots, subtasks);
    if derived <= NETWORK_CAP || need >= derived {
        return None;
    }
    let cap = MemorySize::from_bytes(need.max(NETWORK_CAP).bytes().div_ceil(1 << 20) << 20);
    Some(Setting::new(
        Group::Memory,
        tm::NETWORK_MEMORY_MAX.key,
        SettingValue::Size(cap),
        format!(
            "a tenth of Flink memory would be {} of network buffers; {slots} slots shuffling with {subtasks} subtasks \
             need about {} with headroom, so cap it at {} (Flink's bound until 1.16 was 1 GiB)",
            show(derived),
            show(need),
            show(cap)
        ),
    ))
}

/// The planned cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub hosts: u32,
    pub taskmanagers_per_host: u32,
    pub cores_per_taskmanager: f64,
    pub slots_per_taskmanager: u32,
    pub taskmanager_process: MemorySize,
    pub jobmanager_process: MemorySize,
    pub budget: HostBudget,
    pub backend: Option<BackendChoice>,
    pub managed_fraction: f64,
    pub state_per_taskmanager: MemorySize,
    /// The JVM heap the memory model derives for each TaskManager.
    pub jvm_heap: MemorySize,
    /// Managed memory per TaskManager as the model derives it.
    pub managed: MemorySize,
    /// The slot, CPU and memory settings, in emission order.
    pub settings: Vec<Setting>,
}

impl Layout {
    pub fn total_taskmanagers(&self) -> u32 {
        self.hosts.saturating_mul(self.taskmanagers_per_host)
    }

    pub fn total_slots(&self) -> u32 {
        self.total_taskmanagers()
            .saturating_mul(self.slots_per_taskmanager)
    }
}

/// Plans one TaskManager per host, then splits the host into equal TaskManagers with whole cores each (a divisor of
/// its cores), and keeps the first split whose heap fits.
pub(crate) fn plan(input: &AdviceInput) -> Result<Layout, AdviceError> {
    let whole_cores = (input.host.usable_cores().value.floor() as u32).max(1);
    // On Kubernetes a host is a pod, which runs one TaskManager.
    let splits: Vec<u32> = if input.profile.deployment == Deployment::Kubernetes {
        vec![1]
    } else {
        (1..=whole_cores)
            .filter(|n| whole_cores.is_multiple_of(*n))
            .collect()
    };
    let mut last = None;
    for per_host in splits {
        let layout = plan_for(input, per_host)?;
        if layout.jvm_heap <= HEAP_LIMIT {
            return Ok(layout);
        }
        last = Some(layout);
    }
    // Every split still has a heap above the limit (few cores, huge memory): keep the finest split.
    last.ok_or_else(|| AdviceError::Rejected("no layout was planned".to_string()))
}

fn plan_for(input: &AdviceInput, per_host: u32) -> Result<Layout, AdviceError> {
    let host = input.host;
    let profile = input.profile;
    let hosts = host.hosts.max(1);
    let usable_cores = host.usable_cores();
    // Two decimals: Flink keeps CPU cores to eight, and people read two.
    let cores_per_taskmanager = (usable_cores.value / f64::from(per_host) * 100.0).floor() / 100.0;
    let (planned_slots, why_slots) = slots::slots_for(cores_per_taskmanager, profile.workload);
    let (jobmanager_process, why_jobmanager) = jobmanager::process_size(
        hosts.saturating_mul(per_host).saturating_mul(planned_slots),
        profile.mode,
    );
    let budget = host_budget(host, profile, jobmanager_process);
    let per_taskmanager = whole_mebibytes(budget.for_taskmanagers().bytes() / u64::from(per_host));
    let (slots, why_slots) = slots_within_memory(
        planned_slots,
        why_slots,
        cores_per_taskmanager,
        per_taskmanager,
    );
    let subtasks = hosts.saturating_mul(per_host).saturating_mul(slots);
    let state_per_taskmanager = MemorySize::from_bytes(
        profile.state_size.bytes() / u64::from(hosts.saturating_mul(per_host)),
    );
    let derive = |settings: &[Setting]| {
        taskmanager_memory(&as_configuration(settings), input.version, None).map_err(|_| {
            AdviceError::host_too_small(
                per_taskmanager,
                &budget.taken(),
                minimum_taskmanager(input.version),
            )
        })
    };

    let head = vec![
        Setting::new(
            Group::Cluster,
            tm::NUM_TASK_SLOTS.key,
            SettingValue::Integer(i64::from(slots)),
            why_slots,
        )
        .from_inputs([
            Input::new("cores per TaskManager", show_cores(cores_per_taskmanager)),
            Input::new("profile.workload", profile.workload),
        ]),
        Setting::new(
            Group::Cluster,
            tm::CPU_CORES.key,
            SettingValue::Decimal(cores_per_taskmanager),
            cpu_reason(usable_cores.value, per_host),
        )
        .from_inputs([Input::new(
            "usable cores",
            source_text(show_cores(usable_cores.value), &usable_cores.source),
        )]),
        process_setting(input, &budget, per_host, per_taskmanager),
    ];
    let mut extras = connector_and_session_settings(input, slots);
    // Network memory does not depend on the managed fraction, so its cap comes first; then the heap the TaskManager
    // would have with no managed memory decides between heap and RocksDB state.
    let uncapped = derive(&with_fraction(&head, &extras, 0.0))?;
    extras.extend(network_cap(uncapped.network, slots, subtasks));
    let without_managed = derive(&with_fraction(&head, &extras, 0.0))?;
    let backend = state_backend::choose(
        profile,
        input.version,
        state_per_taskmanager,
        without_managed.task_heap,
    )?;
    let (wanted, why_wanted) = managed_memory::fraction(
        backend.as_ref().map(|choice| choice.kind),
        state_per_taskmanager,
        per_taskmanager,
    );
    let min_task_heap = MemorySize::from_bytes(MIN_TASK_HEAP_PER_SLOT.bytes() * u64::from(slots));
    let fraction = fitting_fraction(wanted, |fraction| {
        derive(&with_fraction(&head, &extras, fraction))
            .is_ok_and(|memory| memory.task_heap >= min_task_heap)
    });
    let why_fraction = if fraction < wanted {
        format!(
            "{why_wanted}; lowered from {wanted:?} so that each of {slots} slots keeps a {} task heap in a {} \
             TaskManager",
            show(MIN_TASK_HEAP_PER_SLOT),
            show(per_taskmanager)
        )
    } else {
        why_wanted
    };

    let mut settings = head;
    settings.push(
        fraction_setting(fraction, why_fraction).from_inputs([
            Input::new(
                "state backend",
                backend
                    .as_ref()
                    .map_or("none (batch)", |c| c.kind.flink_name()),
            ),
            Input::new("state per TaskManager", show(state_per_taskmanager)),
        ]),
    );
    settings.extend(extras);
    let resolved = derive(&settings)?;
    settings.push(
        Setting::new(
            Group::Memory,
            jm::TOTAL_PROCESS_MEMORY.key,
            SettingValue::Size(jobmanager_process),
            why_jobmanager,
        )
        .from_inputs([Input::new("profile.mode", profile.mode)]),
    );
    Ok(Layout {
        hosts,
        taskmanagers_per_host: per_host,
        cores_per_taskmanager,
        slots_per_taskmanager: slots,
        taskmanager_process: per_taskmanager,
        jobmanager_process,
        budget,
        backend,
        managed_fraction: fraction,
        state_per_taskmanager,
        jvm_heap: resolved.jvm_heap(),
        managed: resolved.managed,
        settings,
    })
}

/// Whole mebibytes, rounded down: process sizes read as `58982m`.
fn whole_mebibytes(bytes: u64) -> MemorySize {
    MemorySize::from_bytes(bytes & !((1 << 20) - 1))
}

/// Fewer slots than the cores suggest when each would get less than [`MIN_PROCESS_PER_SLOT`].
fn slots_within_memory(
    planned: u32,
    why_planned: String,
    cores_per_taskmanager: f64,
    per_taskmanager: MemorySize,
) -> (u32, String) {
    let by_memory = (per_taskmanager.bytes() / MIN_PROCESS_PER_SLOT.bytes()).max(1) as u32;
    if by_memory >= planned {
        return (planned, why_planned);
    }
    (
        by_memory,
        format!(
            "{planned} would suit {} cores, but {} of memory allows {by_memory} (at least {} each)",
            show_cores(cores_per_taskmanager),
            show(per_taskmanager),
            show(MIN_PROCESS_PER_SLOT)
        ),
    )
}

/// `taskmanager.memory.process.size` and how the host's memory came to it.
fn process_setting(
    input: &AdviceInput,
    budget: &HostBudget,
    per_host: u32,
    per_taskmanager: MemorySize,
) -> Setting {
    let usable = input.host.usable_memory();
    let why = match per_host {
        1 => format!(
            "{} of {} usable, after {}",
            show(per_taskmanager),
            show(budget.usable),
            budget.taken()
        ),
        n => format!(
            "{} of {} usable, after {}, split among {n} TaskManagers to keep each heap under {}",
            show(per_taskmanager),
            show(budget.usable),
            budget.taken(),
            show(HEAP_LIMIT)
        ),
    };
    Setting::new(
        Group::Memory,
        tm::TOTAL_PROCESS_MEMORY.key,
        SettingValue::Size(per_taskmanager),
        why,
    )
    .from_inputs([
        Input::new(
            "usable memory",
            source_text(show(usable.value), &usable.source),
        ),
        Input::new("OS reserve", &budget.why_reserve),
        Input::new("JobManager on host", input.host.jobmanager_on_host),
    ])
}

/// Task off-heap memory for connectors that allocate direct memory, and metaspace for session clusters.
fn connector_and_session_settings(input: &AdviceInput, slots: u32) -> Vec<Setting> {
    let profile = input.profile;
    let mut settings = Vec::new();
    let per_slot = profile.connector_direct_memory;
    if per_slot.bytes() > 0 {
        settings.push(
            Setting::new(
                Group::Memory,
                tm::TASK_OFF_HEAP_MEMORY.key,
                SettingValue::Size(MemorySize::from_bytes(
                    per_slot.bytes().saturating_mul(u64::from(slots)),
                )),
                format!(
                    "connectors allocate direct memory: {} per slot times {slots} slots",
                    show(per_slot)
                ),
            )
            .from_inputs([Input::new(
                "profile.connector-direct-memory",
                show(per_slot),
            )]),
        );
    }
    if profile.mode == Mode::Session || profile.purpose == Purpose::Development {
        settings.push(Setting::new(
            Group::Memory,
            tm::JVM_METASPACE.key,
            SettingValue::Size(SESSION_METASPACE),
            "a session cluster loads every submitted job's classes; Flink's default 256 MiB metaspace runs out \
             (\"OutOfMemoryError: Metaspace\")",
        ));
    }
    settings
}

/// `head` and `extras` with a managed fraction, for the memory model to try.
fn with_fraction(head: &[Setting], extras: &[Setting], fraction: f64) -> Vec<Setting> {
    let mut settings = head.to_vec();
    settings.extend_from_slice(extras);
    settings.push(fraction_setting(fraction, String::new()));
    settings
}

/// The largest fraction from `wanted` down, in steps of 0.05, that `fits`; zero when none does. A small TaskManager
/// cannot give managed memory its share and still run tasks.
fn fitting_fraction(wanted: f64, fits: impl Fn(f64) -> bool) -> f64 {
    let mut fraction = wanted;
    while fraction > 0.0 && !fits(fraction) {
        fraction = (((fraction - 0.05) * 20.0).round() / 20.0).max(0.0);
    }
    fraction
}

fn fraction_setting(fraction: f64, why: String) -> Setting {
    Setting::new(
        Group::Memory,
        tm::MANAGED_MEMORY_FRACTION.key,
        SettingValue::Decimal(fraction),
        why,
    )
}

/// A little task heap on top of Flink's fixed components, so that the smallest TaskManager can run a task.
const MINIMUM_TASK_HEAP: MemorySize = MemorySize::mebibytes(256);

/// The smallest process Flink's defaults fit in on `version`: framework heap and off-heap, the network minimum,
/// metaspace and the overhead minimum (their defaults, from src/flink), and [`MINIMUM_TASK_HEAP`].
fn minimum_taskmanager(version: FlinkVersion) -> MemorySize {
    [
        tm::FRAMEWORK_HEAP_MEMORY,
        tm::FRAMEWORK_OFF_HEAP_MEMORY,
        tm::NETWORK_MEMORY_MIN,
        tm::JVM_METASPACE,
        tm::JVM_OVERHEAD_MIN,
    ]
    .iter()
    .filter_map(|option| option.default_value(version))
    .fold(MINIMUM_TASK_HEAP, |sum, size| {
        MemorySize::from_bytes(sum.bytes().saturating_add(size.bytes()))
    })
}

fn cpu_reason(usable: f64, per_host: u32) -> String {
    match per_host {
        1 => format!("all {} usable cores of the host", show_cores(usable)),
        n => format!(
            "{} usable cores split among {n} TaskManagers",
            show_cores(usable)
        ),
    }
}

/// A fact with where it came from, for a setting's inputs.
fn source_text(value: impl std::fmt::Display, source: &Source) -> String {
    format!("{value} (from {source})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::test_support::{advise, value};

    #[test]
    fn one_taskmanager_while_its_heap_fits() {
        let advice = advise(16.0, 64, "large-state", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/c".into());
        })
        .unwrap();
        assert_eq!(advice.layout.taskmanagers_per_host, 1);
        assert!(advice.taskmanager_memory.jvm_heap() <= HEAP_LIMIT);
    }

    #[test]
    fn a_host_whose_heap_would_pass_31_gib_is_split_into_whole_core_taskmanagers() {
        let advice = advise(96.0, 768, "balanced", "2.3", |_, _| {}).unwrap();
        let layout = &advice.layout;
        assert!(layout.taskmanagers_per_host > 1);
        assert_eq!(96 % layout.taskmanagers_per_host, 0);
        assert_eq!(layout.cores_per_taskmanager.fract(), 0.0);
        assert!(advice.taskmanager_memory.jvm_heap() <= HEAP_LIMIT);
        // The next smaller split would not have fit.
        let smaller = (1..layout.taskmanagers_per_host)
            .rev()
            .find(|n| 96 % n == 0)
            .unwrap();
        let input_host = crate::host::HostSpec::planned(
            96.0,
            MemorySize::gibibytes(768),
            crate::host::DiskKind::Ssd,
        );
        let profile = crate::profile::embedded::embedded_profile("balanced").unwrap();
        let input = AdviceInput {
            host: &input_host,
            profile: &profile,
            version: "2.3".parse().unwrap(),
            local_state_dir: None,
            allow_local_checkpoints: false,
        };
        assert!(plan_for(&input, smaller).unwrap().jvm_heap > HEAP_LIMIT);
    }

    #[test]
    fn kubernetes_pods_run_one_taskmanager_with_the_whole_limit() {
        let advice = advise(8.0, 32, "balanced", "2.3", |_, p| {
            p.deployment = Deployment::Kubernetes;
        })
        .unwrap();
        assert_eq!(advice.layout.taskmanagers_per_host, 1);
        assert_eq!(advice.layout.taskmanager_process, MemorySize::gibibytes(32));
    }

    #[test]
    fn small_hosts_get_fewer_slots_and_a_lower_managed_fraction() {
        // 4 cores, IO-bound would be 8 slots, but 2 GiB of TaskManager allows 4 at 512 MiB each.
        let advice = advise(4.0, 3, "io-bound", "2.3", |_, _| {}).unwrap();
        assert_eq!(advice.layout.slots_per_taskmanager, 4);
        // Batch wants 0.7 managed, which a small TaskManager with a JobManager beside it cannot give.
        let batch = advise(2.0, 4, "batch", "2.3", |h, _| h.jobmanager_on_host = true).unwrap();
        assert!(batch.layout.managed_fraction < 0.7);
        assert!(batch.taskmanager_memory.task_heap >= MIN_TASK_HEAP_PER_SLOT);
    }

    #[test]
    fn too_small_a_host_is_an_error_naming_the_flags() {
        let error = advise(2.0, 2, "balanced", "2.3", |h, _| {
            h.jobmanager_on_host = true
        })
        .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("--memory") && message.contains("--jobmanager-on-host"),
            "{message}"
        );
    }

    #[test]
    fn network_memory_is_capped_only_where_shuffles_need_less() {
        let large = advise(16.0, 64, "balanced", "2.3", |_, _| {}).unwrap();
        assert_eq!(
            value(&large, "taskmanager.memory.network.max").as_deref(),
            Some("1g")
        );
        let small = advise(4.0, 8, "balanced", "2.3", |_, _| {}).unwrap();
        assert_eq!(value(&small, "taskmanager.memory.network.max"), None);
        assert_eq!(
            network_need(16, 16),
            MemorySize::from_bytes(16 * 2 * (32 + 8 + 17) * (32 << 10) * 2)
        );
    }
}
