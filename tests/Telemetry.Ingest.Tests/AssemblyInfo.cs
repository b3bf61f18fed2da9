// Each test starts its own ingest host, but OpenTelemetry's Prometheus exporter subscribes to meters by name
// ("Telemetry.Ingest"), so counters of hosts running in parallel in this one process would leak into each
// other's /metrics. Production runs one host per process; the tests run one at a time to match.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
