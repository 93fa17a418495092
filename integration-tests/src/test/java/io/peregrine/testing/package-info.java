/**
 * Real infrastructure for integration tests, from Maven Central only (no Docker): an in-JVM
 * single-node KRaft Kafka broker ({@link io.peregrine.testing.KafkaBroker},
 * {@link io.peregrine.testing.KafkaBrokerExtension}), a Flink MiniCluster with RocksDB
 * ({@link io.peregrine.testing.FlinkMiniCluster}) and the moves failure tests make on a running
 * job ({@link io.peregrine.testing.FlinkJobControl}). Everything listens on 127.0.0.1 only.
 */
package io.peregrine.testing;
