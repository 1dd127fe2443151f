/// The outbox's value types and pure machine live in `TagwayDelivery` (so they are tested without
/// the event log's GRDB); users of the outbox get them with `import TagwayOutbox`, as before.
@_exported import TagwayDelivery
