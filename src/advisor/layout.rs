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
use super::estimate::network_buffers::network_memory_needed;
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
/// Headroom over the estimator's exact need (src/advisor/estimate/network_buffers.rs): a job may have more shuffles
/// per slot than the two the estimate assumes, and buffer debloating works better with spare buffers.
const NETWORK_HEADROOM: u64 = 2;

/// Network memory the shuffles of `slots` tasks need when every task talks to `parallelism` others, with headroom.
pub(crate) fn network_need(slots: u32, parallelism: u32) -> MemorySize {
    MemorySize::from_bytes(
        network_memory_needed(slots, parallelism)
            .bytes()
            .saturating_mul(NETWORK_HEADROOM),
    )
}

/// Network memory bounds, always min and max together (invariant FT-NET-002: one alone keeps the other's default
/// and the pair can contradict itself, issue 11 case 12). When a tenth of Flink memory (`derived`) falls short of what
/// the shuffles of `slots` tasks among `subtasks` need (invariant FT-NET-001), both are set to that need with
/// headroom; when it is more than [`NETWORK_CAP`] and more than the need, it is capped.
fn network_cap(derived: MemorySize, slots: u32, subtasks: u32) -> Vec<Setting> {
    let need = network_need(slots, subtasks);
    let required = super::estimate::network_buffers::network_memory_needed(slots, subtasks);
    let mebibytes = |size: MemorySize| MemorySize::from_bytes(size.bytes().div_ceil(1 << 20) << 20);
    if required > derived {
        let size = mebibytes(need);
        let why = format!(
            "{slots} slots shuffling with {subtasks} subtasks need about {} of network buffers ({} with headroom); a \
             tenth of Flink memory would give {}",
            show(required),
            show(size),
            show(derived)
        );
        return vec![
            Setting::new(
                Group::Memory,
                tm::NETWORK_MEMORY_MIN.key,
                SettingValue::Size(size),
                why.clone(),
            ),
            Setting::new(
                Group::Memory,
                tm::NETWORK_MEMORY_MAX.key,
                SettingValue::Size(size),
                why,
            ),
        ];
    }
    if derived <= NETWORK_CAP || need >= derived {
        return Vec::new();
    }
    let cap = mebibytes(need.max(NETWORK_CAP));
    let floor = mebibytes(required).max(
        tm::NETWORK_MEMORY_MIN
            .default_value(crate::flink::FlinkVersion::DEFAULT)
            .unwrap_or(MemorySize::ZERO),
    );
    let min = Setting::new(
        Group::Memory,
        tm::NETWORK_MEMORY_MIN.key,
        SettingValue::Size(floor),
        format!(
            "set with the maximum, so the pair states the planned range: at least the {} the shuffles of {slots} slots \
             among {subtasks} subtasks need",
            show(floor)
        ),
    );
    vec![
        min,
        Setting::new(
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
        ),
    ]
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
/// its cores), and keeps the first split whose heap fits. On Kubernetes the host is the pod the flags describe, and
/// a split is that many smaller pods (issue 11, case 5: never one giant heap). When even the finest split's heap is
/// over the limit (few cores, much memory), each TaskManager's process is capped so its heap fits, and the reason
/// says how much memory stays unused (invariant FT-MEM-003).
pub(crate) fn plan(input: &AdviceInput) -> Result<Layout, AdviceError> {
    if input.pins.taskmanager_process().is_some() {
        // A pinned process size is the user's TaskManager: one per host, whatever its heap (FT-MEM-003 warns).
        return plan_for(input, 1);
    }
    let whole_cores = (input.host.usable_cores().value.floor() as u32).max(1);
    let splits: Vec<u32> = (1..=whole_cores)
        .filter(|n| whole_cores.is_multiple_of(*n))
        .collect();
    let mut last = None;
    for per_host in splits {
        let layout = plan_for(input, per_host)?;
        if layout.jvm_heap <= HEAP_LIMIT {
            return Ok(layout);
        }
        // RocksDB and ForSt hold state off the heap: a bigger cache serves them better than another JVM (case 6).
        if let Some(raised) = raised_fraction(input, per_host, &layout)? {
            return Ok(raised);
        }
        last = Some(layout);
    }
    let mut layout =
        last.ok_or_else(|| AdviceError::Rejected("no layout was planned".to_string()))?;
    // Scale the process down by the heap's excess until the heap fits (the heap is a near-constant share of it).
    for _ in 0..MAX_CAP_ROUNDS {
        if layout.jvm_heap <= HEAP_LIMIT {
            break;
        }
        let scale = HEAP_LIMIT.bytes() as f64 / layout.jvm_heap.bytes() as f64 * CAP_MARGIN;
        let cap = whole_mebibytes((layout.taskmanager_process.bytes() as f64 * scale) as u64);
        layout = plan_for_slots(input, layout.taskmanagers_per_host, u32::MAX, Some(cap))?;
    }
    Ok(layout)
}

/// The highest managed fraction RocksDB gets to keep the heap under the limit: 0.9 leaves the heap a tenth of
/// Flink memory, over 3 GiB in any TaskManager big enough to need it.
const ROCKSDB_HEAP_LIMIT_FRACTION: f64 = 0.9;

/// The same split with the managed fraction raised in steps of 0.05 until the heap fits, for RocksDB and ForSt.
fn raised_fraction(
    input: &AdviceInput,
    per_host: u32,
    layout: &Layout,
) -> Result<Option<Layout>, AdviceError> {
    let off_heap = layout
        .backend
        .as_ref()
        .is_some_and(|choice| choice.kind != crate::flink::job_options::StateBackendKind::HashMap);
    if !off_heap {
        return Ok(None);
    }
    let mut fraction = layout.managed_fraction;
    while fraction + 0.05 <= ROCKSDB_HEAP_LIMIT_FRACTION + 1e-9 {
        fraction = ((fraction + 0.05) * 20.0).round() / 20.0;
        let raised = plan_within(
            input,
            per_host,
            Limits {
                max_slots: u32::MAX,
                process_cap: None,
                min_fraction: fraction,
            },
        )?;
        if raised.jvm_heap <= HEAP_LIMIT {
            return Ok(Some(raised));
        }
    }
    Ok(None)
}

/// Rounds of capping before the plan is returned as it is (the heap converges in one or two).
const MAX_CAP_ROUNDS: u32 = 5;
/// Aim a little under the limit, so rounding to mebibytes never lands just above it.
const CAP_MARGIN: f64 = 0.99;

fn plan_for(input: &AdviceInput, per_host: u32) -> Result<Layout, AdviceError> {
    plan_for_slots(input, per_host, u32::MAX, None)
}

/// [`plan_for`] with at most `max_slots` slots. When even no managed memory leaves a slot its task heap floor
/// (invariant FT-MEM-001), the plan retries with one slot fewer: a small TaskManager runs fewer tasks rather than
/// tasks with no heap (issue 11, case 1).
fn plan_for_slots(
    input: &AdviceInput,
    per_host: u32,
    max_slots: u32,
    process_cap: Option<MemorySize>,
) -> Result<Layout, AdviceError> {
    plan_within(
        input,
        per_host,
        Limits {
            max_slots,
            process_cap,
            min_fraction: 0.0,
        },
    )
}

/// What a retry of [`plan_within`] holds fixed: at most this many slots, at most this process size, at least this
/// managed fraction.
#[derive(Debug, Clone, Copy)]
struct Limits {
    max_slots: u32,
    process_cap: Option<MemorySize>,
    min_fraction: f64,
}

fn plan_within(input: &AdviceInput, per_host: u32, limits: Limits) -> Result<Layout, AdviceError> {
    let Limits {
        max_slots,
        process_cap,
        min_fraction,
    } = limits;
    let host = input.host;
    let profile = input.profile;
    let hosts = host.hosts.max(1);
    let usable_cores = host.usable_cores();
    // Two decimals: Flink keeps CPU cores to eight, and people read two.
    let cores_per_taskmanager = (usable_cores.value / f64::from(per_host) * 100.0).floor() / 100.0;
    let (planned_slots, why_slots) = match input.pins.slots() {
        Some(pinned) => (pinned, super::pins::PINNED_WHY.to_string()),
        None => slots::slots_for(cores_per_taskmanager, profile),
    };
    let (jobmanager_process, why_jobmanager) = jobmanager::process_size(
        hosts.saturating_mul(per_host).saturating_mul(planned_slots),
        profile.mode,
    );
    // A development session on one host shares it with the TaskManager: Flink's shipped size holds a few small jobs'
    // graphs, and the rest of the host goes to running them (issue 11, case 2).
    let (jobmanager_process, why_jobmanager) = if profile.purpose == Purpose::Development
        && hosts == 1
        && jobmanager_process > jobmanager::SHIPPED_PROCESS_SIZE
    {
        (
            jobmanager::SHIPPED_PROCESS_SIZE,
            "a development session on one host: Flink's shipped size holds a few small jobs' graphs, and the host's \
             memory goes to the TaskManager that runs them"
                .to_string(),
        )
    } else {
        (jobmanager_process, why_jobmanager)
    };
    // A JobManager beside the TaskManagers takes no more of the host than one of them (issue 15).
    let (jobmanager_process, why_jobmanager) =
        if crate::invariants::deployment::jobmanager_shares_host(host, Some(profile)) {
            jobmanager::on_shared_host(
                (jobmanager_process, why_jobmanager),
                host_budget(host, profile, MemorySize::ZERO).for_taskmanagers(),
                per_host,
            )
        } else {
            (jobmanager_process, why_jobmanager)
        };
    let budget = host_budget(host, profile, jobmanager_process);
    let share = whole_mebibytes(budget.for_taskmanagers().bytes() / u64::from(per_host));
    let per_taskmanager = input
        .pins
        .taskmanager_process()
        .unwrap_or_else(|| process_cap.map_or(share, |cap| cap.min(share)));
    let (slots, why_slots) = if input.pins.slots().is_some() {
        (planned_slots, why_slots)
    } else {
        slots_within_memory(
            planned_slots,
            why_slots,
            cores_per_taskmanager,
            per_taskmanager,
        )
    };
    let (slots, why_slots) = if slots > max_slots {
        (
            max_slots,
            format!(
                "{slots} would suit the cores and memory, but only {max_slots} keep{} a {} task heap each in a {} \
                 TaskManager",
                if max_slots == 1 { "s" } else { "" },
                show(MIN_TASK_HEAP_PER_SLOT),
                show(per_taskmanager)
            ),
        )
    } else {
        (slots, why_slots)
    };
    let subtasks = hosts.saturating_mul(per_host).saturating_mul(slots);
    // A session job runs on one TaskManager's slots (parallelism.rs), so its state sits there; an application's
    // spreads over all of them. The invariants spread it the same way (state over the TaskManagers the job occupies).
    let holding = if profile.mode == Mode::Session {
        1
    } else {
        hosts.saturating_mul(per_host)
    };
    let state_per_taskmanager = MemorySize::from_bytes(
        super::state_size::planned(profile).bytes() / u64::from(holding.max(1)),
    );
    let derive = |settings: &[Setting]| {
        taskmanager_memory(&as_configuration(settings), input.version, None).map_err(|error| {
            if input.pins.shape_the_taskmanager() {
                let mut chain = error.chain();
                chain.dedup();
                return AdviceError::PinRejected {
                    pins: input.pins.flags().join(" "),
                    message: chain.join(": "),
                };
            }
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
            Input::new("profile.io-wait", format!("{}%", profile.io_wait())),
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
        process_setting(input, &budget, per_host, per_taskmanager, share),
    ];
    let mut extras = connector_and_session_settings(input, slots);
    // Network memory does not depend on the managed fraction, so its cap comes first; then the heap the TaskManager
    // would have with no managed memory decides between heap and RocksDB state.
    let uncapped = derive(&with_fraction(&head, &extras, 0.0))?;
    // No job runs wider than Flink's bound (parallelism.rs caps it there); past half the TaskManager, buffers for that
    // many channels leave nothing to run tasks with (invariant FT-NET-001; issue 11, case 7).
    let widest = subtasks.min(crate::flink::job_options::MAX_PARALLELISM_UPPER_BOUND);
    let buffers = super::estimate::network_buffers::network_memory_needed(slots, widest);
    if buffers.bytes() > per_taskmanager.bytes() / 2 {
        let violation = format!(
            "FT-NET-001: {slots} slots exchanging data among {widest} subtasks need about {} of network buffers per \
             TaskManager, more than half of its {}",
            show(buffers),
            show(per_taskmanager)
        );
        // Pinned slots or a pinned process size made this TaskManager; the rules kept them, so the pin is what the
        // user changes (issue 13: a pin that breaks an invariant is an error naming it).
        let shaping: Vec<String> = [tm::NUM_TASK_SLOTS.key, tm::TOTAL_PROCESS_MEMORY.key]
            .iter()
            .filter_map(|key| input.pins.flag(key))
            .collect();
        if !shaping.is_empty() {
            return Err(AdviceError::PinBreaks {
                pins: shaping.join(" "),
                violation: format!(
                    "{violation}: fewer slots or a larger TaskManager would fit them"
                ),
            });
        }
        return Err(AdviceError::Incoherent(format!(
            "{violation}; plan fewer hosts (--hosts) or give each more memory (--memory)"
        )));
    }
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
    let (wanted, why_wanted) = if min_fraction > wanted {
        (
            min_fraction,
            format!(
                "{why_wanted}; raised to {min_fraction:?} so that the JVM heap stays under {}: RocksDB keeps state \
                 off the heap, which needs only records in flight and user objects",
                show(HEAP_LIMIT)
            ),
        )
    } else {
        (wanted, why_wanted)
    };
    let min_task_heap = MemorySize::from_bytes(MIN_TASK_HEAP_PER_SLOT.bytes() * u64::from(slots));
    let fraction = input.pins.managed_fraction().unwrap_or_else(|| {
        fitting_fraction(wanted, |fraction| {
            derive(&with_fraction(&head, &extras, fraction))
                .is_ok_and(|memory| memory.task_heap >= min_task_heap)
        })
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
            Input::new(
                "state per TaskManager",
                super::state_size::shown_per_taskmanager(profile, state_per_taskmanager),
            ),
        ]),
    );
    settings.extend(extras);
    let resolved = derive(&settings)?;
    // RocksDB and ForSt need managed memory per slot as the heap needs task heap (invariant FT-MEM-002).
    let starved_cache = backend
        .as_ref()
        .is_some_and(|choice| choice.kind != crate::flink::job_options::StateBackendKind::HashMap)
        && resolved.managed.bytes() / u64::from(slots.max(1))
            < crate::invariants::memory::MIN_ROCKSDB_MANAGED_PER_SLOT.bytes();
    if resolved.task_heap < min_task_heap || starved_cache {
        // A pinned slot count stays, and a plan that does not fit around the pins goes to the judge, which names
        // them (src/advisor/coherence.rs).
        if slots > 1 && input.pins.slots().is_none() {
            return plan_within(
                input,
                per_host,
                Limits {
                    max_slots: slots - 1,
                    ..limits
                },
            );
        }
        if !input.pins.shape_the_taskmanager() {
            return Err(AdviceError::host_too_small(
                per_taskmanager,
                &budget.taken(),
                minimum_taskmanager(input.version),
            ));
        }
    }
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
    share: MemorySize,
) -> Setting {
    let usable = input.host.usable_memory();
    let (one, unit) = if input.profile.deployment == Deployment::Kubernetes {
        ("pod", "pods")
    } else {
        ("TaskManager", "TaskManagers")
    };
    let why = match per_host {
        _ if per_taskmanager < share => format!(
            "{} of the {} each {one} could take, so that the JVM heap stays under {} (compressed pointers); {} of {} \
             usable stays unused: more cores would let more TaskManagers use it",
            show(per_taskmanager),
            show(share),
            show(HEAP_LIMIT),
            show(MemorySize::from_bytes(
                (share.bytes() - per_taskmanager.bytes()).saturating_mul(u64::from(per_host))
            )),
            show(budget.usable)
        ),
        1 => format!(
            "{} of {} usable, after {}",
            show(per_taskmanager),
            show(budget.usable),
            budget.taken()
        ),
        n => format!(
            "{} of {} usable, after {}, split among {n} {unit} to keep each heap under {}",
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
mod worked_examples;

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
        let input = crate::advisor::test_support::input(
            &input_host,
            &profile,
            "2.3".parse().unwrap(),
            crate::advisor::Pins::default(),
        );
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
        // 4 cores, IO-bound would be 8 slots, but 2 GiB of TaskManager allows 4 at 512 MiB each (two hosts, so the
        // JobManager runs elsewhere).
        let advice = advise(4.0, 3, "io-bound", "2.3", |h, _| h.hosts = 2).unwrap();
        assert_eq!(advice.layout.slots_per_taskmanager, 4);
        // Batch wants 0.7 managed, which a small TaskManager with a JobManager beside it cannot give.
        let batch = advise(2.0, 4, "batch", "2.3", |h, _| h.jobmanager_on_host = true).unwrap();
        assert!(batch.layout.managed_fraction < 0.7);
        assert!(batch.taskmanager_memory.task_heap >= MIN_TASK_HEAP_PER_SLOT);
    }

    #[test]
    fn a_jobmanager_sharing_a_small_host_is_never_larger_than_its_taskmanager() {
        // Issue 15: on 2 cores and 4 GiB the shipped 1600m JobManager left the TaskManager 1472m.
        for profile in ["balanced", "dev-session", "batch", "io-bound"] {
            let advice =
                advise(2.0, 4, profile, "2.3", |h, _| h.jobmanager_on_host = true).unwrap();
            let layout = &advice.layout;
            assert_eq!(
                layout.jobmanager_process,
                MemorySize::mebibytes(1536),
                "{profile}"
            );
            assert_eq!(
                layout.taskmanager_process,
                MemorySize::mebibytes(1536),
                "{profile}"
            );
        }
        // A development session on one host shares it without the flag.
        let dev = advise(2.0, 4, "dev-session", "2.3", |_, _| {}).unwrap();
        assert!(dev.layout.jobmanager_process <= dev.layout.taskmanager_process);
        // With room to spare, the JobManager keeps its size.
        let roomy = advise(2.0, 8, "balanced", "2.3", |h, _| {
            h.jobmanager_on_host = true
        })
        .unwrap();
        assert_eq!(
            roomy.layout.jobmanager_process,
            jobmanager::SHIPPED_PROCESS_SIZE
        );
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
