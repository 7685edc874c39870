//! What one reading of a running job holds and how the readings become a figure, or a refusal: every reading present
//! and above zero, and the measured operator saturated (its source back-pressured, it busy nearly all the time, or
//! the TaskManagers' CPUs full), so that the rate is the most the configuration sustains on this host and not what
//! the source happened to offer.

/// The metrics of one vertex in one reading, aggregated over its subtasks by Flink's REST API. A metric Flink does
/// not report for the vertex (a source's busy time is NaN) is `None`; the judge decides which ones it needs.
#[derive(Debug, Clone)]
pub(crate) struct VertexReading {
    pub name: String,
    pub parallelism: u64,
    /// `numRecordsInPerSecond`, summed over subtasks.
    pub records_in_per_second: Option<f64>,
    /// `busyTimeMsPerSecond` of the busiest subtask.
    pub busy_ms: Option<f64>,
    /// `backPressuredTimeMsPerSecond` of the most back-pressured subtask.
    pub back_pressured_ms: Option<f64>,
}

impl VertexReading {
    /// Flink names source vertices `Source: ...`, in SQL and DataStream jobs alike.
    pub(crate) fn is_source(&self) -> bool {
        self.name.starts_with("Source")
    }
}

/// The metrics the bench reads per vertex, in the order of [`VertexReading`]'s fields.
pub(crate) const METRICS: [&str; 3] = [
    "numRecordsInPerSecond",
    "busyTimeMsPerSecond",
    "backPressuredTimeMsPerSecond",
];

/// A source that waits for its output buffers half of every second is held back by what follows it.
pub(crate) const SOURCE_BACK_PRESSURED_MS: f64 = 500.0;
/// An operator busy 90% of every second is at its capacity (Flink's busy time excludes idle and back-pressured time).
pub(crate) const BOTTLENECK_BUSY_MS: f64 = 900.0;
/// A cluster using 90% of the host's cores (its processes' CPU time between readings, cluster_cpu.rs; else the
/// TaskManager's `Status.JVM.CPU.Load`) runs the job as fast as the host lets, whichever vertex waits: an unthrottled
/// source pinned to one subtask shares the cores with the operators it feeds.
pub(crate) const CPU_SATURATED: f64 = 0.9;

/// The figure of one configuration.
#[derive(Debug, Clone)]
pub(crate) struct Measurement {
    /// Mean over the readings of the measured vertex's summed input rate.
    pub rate: f64,
    pub min_rate: f64,
    pub max_rate: f64,
    pub parallelism: u64,
    /// Why the rate is a saturated one, in numbers.
    pub saturation: String,
}

/// One vertex's reading from the `/jobs/J/vertices/V/subtasks/metrics` answer: each metric's aggregate, `None` where
/// Flink lists it as "NaN"; an error when the answer is not a list or leaves a metric out (an empty metric store).
pub(crate) fn vertex_reading(
    name: &str,
    parallelism: u64,
    answer: &serde_json::Value,
) -> Result<VertexReading, String> {
    let entries = answer
        .as_array()
        .ok_or_else(|| format!("{name}: metrics answer is not a list: {answer}"))?;
    let aggregate = |metric: &str, agg: &str| -> Result<Option<f64>, String> {
        let entry = entries
            .iter()
            .find(|entry| entry["id"] == metric)
            .ok_or_else(|| {
                format!(
                    "no {metric} for vertex {name} (Flink answered {})",
                    crate::job::shorten(&answer.to_string(), 200)
                )
            })?;
        Ok(entry[agg].as_f64().filter(|value| value.is_finite()))
    };
    Ok(VertexReading {
        name: name.to_string(),
        parallelism,
        records_in_per_second: aggregate(METRICS[0], "sum")?,
        busy_ms: aggregate(METRICS[1], "max")?,
        back_pressured_ms: aggregate(METRICS[2], "max")?,
    })
}

/// The summed input rate of the vertex whose name contains `measured`, if exactly one does and it reports one.
pub(crate) fn measured_rate(reading: &[VertexReading], measured: &str) -> Option<f64> {
    let mut found = reading
        .iter()
        .filter(|vertex| vertex.name.contains(measured));
    match (found.next(), found.next()) {
        (Some(vertex), None) => vertex.records_in_per_second,
        _ => None,
    }
}

/// The figure from `readings` (each a list of every vertex), measured at the vertex whose name contains `measured`;
/// or why there is none.
pub(crate) fn judge(
    readings: &[Vec<VertexReading>],
    cpu_loads: &[Option<f64>],
    measured: &str,
) -> Result<Measurement, String> {
    if readings.is_empty() {
        return Err("no readings".into());
    }
    let mut rates = Vec::new();
    let mut busy = Vec::new();
    let mut source_back_pressure = Vec::new();
    let mut parallelism = 0;
    for (index, reading) in readings.iter().enumerate() {
        let found: Vec<&VertexReading> = reading
            .iter()
            .filter(|vertex| vertex.name.contains(measured))
            .collect();
        let [vertex] = found.as_slice() else {
            return Err(format!(
                "reading {}: {} vertices named like {measured:?} (of {})",
                index + 1,
                found.len(),
                reading.len()
            ));
        };
        let rate = vertex.records_in_per_second.unwrap_or(0.0);
        if rate <= 0.0 {
            return Err(format!(
                "reading {}: {measured} took in {:?} records/s",
                index + 1,
                vertex.records_in_per_second
            ));
        }
        let vertex_busy = vertex
            .busy_ms
            .ok_or_else(|| format!("reading {}: {measured} reports no busy time", index + 1))?;
        // Meters move every few seconds; the same value to the last bit twice is the same (stale) metric store.
        if rates.last() == Some(&rate) {
            return Err(format!(
                "reading {}: {measured} rate identical to the previous reading ({rate} records/s): stale metrics",
                index + 1
            ));
        }
        rates.push(rate);
        busy.push(vertex_busy);
        parallelism = vertex.parallelism;
        let sources: Vec<f64> = reading
            .iter()
            .filter(|vertex| vertex.is_source())
            .filter_map(|vertex| vertex.back_pressured_ms)
            .collect();
        if sources.is_empty() {
            return Err(format!(
                "reading {}: no source vertex with a back-pressure reading",
                index + 1
            ));
        }
        source_back_pressure.push(sources.into_iter().fold(f64::INFINITY, f64::min));
    }
    let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
    let (rate, busy, back_pressure) = (mean(&rates), mean(&busy), mean(&source_back_pressure));
    let loads: Vec<f64> = cpu_loads.iter().flatten().copied().collect();
    let cpu = (!loads.is_empty()).then(|| mean(&loads));
    let saturation = format!(
        "source back-pressured {back_pressure:.0} ms/s, {measured} busy {busy:.0} ms/s (busiest subtask), \
         cluster CPU {}",
        cpu.map_or("unknown".to_string(), |cpu| format!("{:.0}%", cpu * 100.0))
    );
    if back_pressure < SOURCE_BACK_PRESSURED_MS
        && busy < BOTTLENECK_BUSY_MS
        && cpu.is_none_or(|cpu| cpu < CPU_SATURATED)
    {
        return Err(format!(
            "not saturated: {saturation}; needs the source back-pressured >= {SOURCE_BACK_PRESSURED_MS:.0} \
             ms/s, {measured} busy >= {BOTTLENECK_BUSY_MS:.0} ms/s or the CPUs {:.0}% used (rate {rate:.0} \
             records/s)",
            CPU_SATURATED * 100.0
        ));
    }
    Ok(Measurement {
        rate,
        min_rate: rates.iter().copied().fold(f64::INFINITY, f64::min),
        max_rate: rates.iter().copied().fold(0.0, f64::max),
        parallelism,
        saturation,
    })
}

/// The judge's own checks on made-up readings. A `harness = false` bench compiles no `#[cfg(test)]`, so `main` runs
/// these when cargo runs the bench as a test (`cargo test --all-targets --all-features`, no `--bench`).
pub(crate) fn self_check() {
    fn vertex(name: &str, rate: f64, busy: f64, back_pressured: f64) -> VertexReading {
        VertexReading {
            name: name.into(),
            parallelism: 2,
            records_in_per_second: Some(rate),
            busy_ms: Some(busy),
            back_pressured_ms: Some(back_pressured),
        }
    }
    // A back-pressured source, a busy operator: a figure, the mean of the readings.
    let first = vec![
        vertex("Source: Sequence", 0.0, 40.0, 950.0),
        vertex("StatefulUpdate -> Discard", 1000.0, 990.0, 0.0),
    ];
    let mut second = first.clone();
    second[1].records_in_per_second = Some(2000.0);
    // The same reading twice is a stale store, no figure.
    assert!(
        judge(&[first.clone(), first.clone()], &[], "StatefulUpdate")
            .is_err_and(|e| e.contains("stale"))
    );
    let measured = judge(&[first, second], &[], "StatefulUpdate");
    assert!(
        measured
            .as_ref()
            .is_ok_and(|m| m.rate == 1500.0 && m.min_rate == 1000.0),
        "{measured:?}"
    );
    // The source limits the job (busy, never back-pressured) while the operator idles: no figure.
    let idle = vec![
        vertex("Source: Sequence", 0.0, 1000.0, 0.0),
        vertex("StatefulUpdate", 1000.0, 300.0, 0.0),
    ];
    assert!(
        judge(std::slice::from_ref(&idle), &[Some(0.6)], "StatefulUpdate")
            .is_err_and(|e| e.contains("not saturated"))
    );
    // The same, with the TaskManagers' CPUs full: the host's most, a figure.
    assert!(judge(&[idle], &[Some(0.95)], "StatefulUpdate").is_ok());
    // A zero reading, no readings, a missing vertex, a missing or NaN metric: errors, never zeros.
    let zero = vec![
        vertex("Source: Sequence", 0.0, 0.0, 1000.0),
        vertex("StatefulUpdate", 0.0, 1000.0, 0.0),
    ];
    assert!(judge(&[zero], &[], "StatefulUpdate").is_err());
    assert!(judge(&[], &[], "StatefulUpdate").is_err());
    assert!(
        judge(
            &[vec![vertex("Source: S", 0.0, 0.0, 1000.0)]],
            &[],
            "StatefulUpdate"
        )
        .is_err()
    );
    let partial = serde_json::json!([{"id": "numRecordsInPerSecond", "sum": 5.0, "max": 5.0}]);
    assert!(vertex_reading("Map", 1, &partial).is_err());
    assert!(vertex_reading("Map", 1, &serde_json::json!([])).is_err());
    let nan = serde_json::json!([
        {"id": "numRecordsInPerSecond", "sum": 5.0, "max": 5.0},
        {"id": "busyTimeMsPerSecond", "sum": "NaN", "max": "NaN"},
        {"id": "backPressuredTimeMsPerSecond", "sum": 0.0, "max": 0.0}
    ]);
    // A NaN is no reading: the source's busy time may be NaN, the measured operator's may not.
    let read = vertex_reading("Map", 1, &nan);
    assert!(read.as_ref().is_ok_and(|r| r.busy_ms.is_none()), "{read:?}");
    let mut no_busy = vec![
        vertex("Source: Sequence", 0.0, 0.0, 1000.0),
        vertex("StatefulUpdate", 10.0, 1000.0, 0.0),
    ];
    no_busy[0].busy_ms = None;
    assert!(judge(&[no_busy.clone()], &[], "StatefulUpdate").is_ok());
    no_busy[1].busy_ms = None;
    assert!(judge(&[no_busy], &[], "StatefulUpdate").is_err());
}
