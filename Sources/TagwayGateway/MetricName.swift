import Prometheus

/// The name and help text of one metric the gateway publishes itself. Prometheus conventions:
/// the `tagway_` prefix, base units (`_seconds`, `_bytes`), `_total` on counters, and what varies
/// (reader, sink, reason, type) in labels, never in the name.
///
/// A name is registered with one help text for the life of the registry (the registry stops the
/// process on a mismatch), so every figure is declared here once.
struct MetricName: Sendable {
    let name: String
    let help: String

    var descriptor: MetricNameDescriptor { MetricNameDescriptor(metricName: name, unitName: "", helpText: help) }

    // Readers (from the health board, at scrape time).
    static let readerConnected = MetricName(name: "tagway_reader_connected", help: "1 while the reader's device is open, else 0.")
    static let readerFrames = MetricName(name: "tagway_reader_frames_total", help: "Frames decoded from the reader.")
    static let readerBytes = MetricName(name: "tagway_reader_bytes_total", help: "Bytes read from a serial reader's port.")
    static let readerCaptureDropped = MetricName(name: "tagway_reader_capture_dropped_total",
                                                 help: "Capture records dropped because the capture's disk was slow or full.")
    static let readerDecodeDrops = MetricName(name: "tagway_reader_decode_drops_total",
                                              help: "Frames, reports or scans the decoder dropped, by reason.")
    static let readerErrors = MetricName(name: "tagway_reader_errors_total",
                                         help: "Port and device errors, and input pauses, by kind.")
    static let readerReconnects = MetricName(name: "tagway_reader_reconnects_total", help: "Times the reader's device was opened again.")
    static let readerLastFrame = MetricName(name: "tagway_reader_last_frame_timestamp_seconds",
                                            help: "When the reader's last frame arrived (Unix time).")
    static let readerClockSkew = MetricName(name: "tagway_reader_clock_skew_seconds",
                                            help: "Network readers: the reader's clock minus the gateway's (positive: the reader is ahead).")

    // Tag filters and reference tags (from the filter board, at scrape time).
    static let filterDroppedReads = MetricName(name: "tagway_filter_dropped_reads_total",
                                               help: "Tag reads and scans a reader's or read point's filter dropped, by reason.")
    static let referenceReads = MetricName(name: "tagway_reference_reads_total",
                                           help: "Reads of declared reference tags (never made events).")
    static let referenceTagLastRead = MetricName(name: "tagway_reference_tag_last_read_timestamp_seconds",
                                                 help: "When the reference tag was last read where declared, or declared (Unix time).")
    static let referenceTagExpectEvery = MetricName(name: "tagway_reference_tag_expected_interval_seconds",
                                                    help: "How often the reference tag must be read (expectEvery).")

    // Debouncer and movement engine (copied out of the pipeline at scrape time).
    static let engineReads = MetricName(name: "tagway_engine_reads_total", help: "Tag reads taken by the movement engine.")
    static let engineScans = MetricName(name: "tagway_engine_scans_total", help: "Barcode scans taken by the movement engine.")
    static let engineEvents = MetricName(name: "tagway_engine_events_total", help: "Movement events the engine made, by type.")
    static let engineAssets = MetricName(name: "tagway_engine_assets_tracked", help: "Assets the movement engine tracks.")
    static let engineEvictions = MetricName(name: "tagway_engine_evictions_total",
                                            help: "Assets pushed out of the engine's full table (raise movement.maxAssets).")
    static let debouncerPresences = MetricName(name: "tagway_debouncer_presences", help: "Tag presences (tag at a read point) held now.")
    static let debouncerEvictions = MetricName(name: "tagway_debouncer_evictions_total",
                                               help: "Presences pushed out of the debouncer's full tables (raise debounce.maxPresent, or debounce.maxTags when set).")
    static let debouncerLateReads = MetricName(name: "tagway_debouncer_late_reads_total",
                                               help: "Reads stamped earlier than the latest time already seen.")
    static let debouncerScansHeldOff = MetricName(name: "tagway_debouncer_scans_held_off_total",
                                                  help: "Repeated scans of one code inside the hold-off, not made events.")
    static let pipelineHeldEvents = MetricName(name: "tagway_pipeline_held_events",
                                               help: "Events held in memory because the log refused them.")

    // Event log.
    static let logAppends = MetricName(name: "tagway_log_appends_total", help: "Transactions the log's group commit wrote.")
    static let logAppendedEvents = MetricName(name: "tagway_log_appended_events_total", help: "Events written to the log.")
    static let logAppendDuration = MetricName(name: "tagway_log_append_duration_seconds",
                                              help: "Time of one group-commit transaction, from its start to its commit.")
    static let logCommitBatch = MetricName(name: "tagway_log_commit_batch_events",
                                           help: "Events one group-commit transaction wrote (0: asset rows alone).")
    static let logSize = MetricName(name: "tagway_log_database_size_bytes", help: "Size of the log's SQLite file and its WAL.")
    static let logLastSeq = MetricName(name: "tagway_log_last_seq", help: "The newest event seq committed to the log.")

    // Sinks: recorded through swift-metrics by the outbox (OutboxMetrics), so no help text here:
    // a registry keeps one help text per name and swift-metrics gives none.
    static let sinkDelivered = "tagway_sink_delivered_events_total"
    static let sinkRetries = "tagway_sink_retries_total"
    static let sinkFailed = "tagway_sink_failed_events_total"
    static let sinkBacklog = "tagway_sink_backlog_events"
    static let sinkBatchDuration = "tagway_sink_batch_duration_seconds"
    static let retentionDropped = "tagway_retention_dropped_events_total"
    /// Recorded by the API's authentication (through swift-metrics), made here at 0 so dashboards
    /// and `rate()` see the series before the first failure.
    static let apiAuthFailures = "tagway_api_auth_failures_total"

    // The process (the names every Prometheus client uses).
    static let processResident = MetricName(name: "process_resident_memory_bytes", help: "Resident memory size in bytes.")
    static let processVirtual = MetricName(name: "process_virtual_memory_bytes", help: "Virtual memory size in bytes.")
    static let processCPU = MetricName(name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.")
    static let processStart = MetricName(name: "process_start_time_seconds",
                                         help: "Start time of the process since unix epoch in seconds.")
    static let processOpenFDs = MetricName(name: "process_open_fds", help: "Number of open file descriptors.")
    static let processMaxFDs = MetricName(name: "process_max_fds", help: "Maximum number of open file descriptors.")
}
