//! The Kafka connector's transaction settings, which an exactly-once Kafka sink depends on but which are producer
//! properties of the job, not Flink configuration: flinktune names them in warnings and never writes them. Sources:
//! Flink docs, "Kafka connector: Fault Tolerance" (a transaction must outlive the checkpoint that commits it, and the
//! brokers cap its timeout), Kafka docs (`transaction.timeout.ms`, `transaction.max.timeout.ms`).

use std::time::Duration;

/// The producer property, set on the `KafkaSink` builder (`setProperty`).
pub(crate) const TRANSACTION_TIMEOUT: &str = "transaction.timeout.ms";
/// The same as a Flink SQL table option of the `kafka` connector.
pub(crate) const SQL_TRANSACTION_TIMEOUT: &str = "properties.transaction.timeout.ms";
/// The brokers' cap on any producer's transaction timeout; a producer asking for more fails to start.
pub(crate) const BROKER_MAX_TRANSACTION_TIMEOUT: &str = "transaction.max.timeout.ms";
/// Its default in Kafka: 15 minutes.
pub(crate) const BROKER_MAX_TRANSACTION_TIMEOUT_DEFAULT: Duration = Duration::from_secs(900);
