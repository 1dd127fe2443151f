import Foundation
import GRDB
import GRDBSQLite
import TagwayModel

/// Binds one row's values to a prepared statement through SQLite's C API and runs it.
///
/// Every event and every asset row goes through here, inside the log's write transaction.
/// GRDB's `execute(arguments:)` first boxes each value into an existential array and converts
/// that into `DatabaseValue`s: for a 20-column row that was as much CPU as SQLite's own insert
/// (`perf record` of `tagway-forward-bench pipeline`). The statement still comes from GRDB's
/// cache and runs in GRDB's transaction; nothing here observes or changes transaction state,
/// and the log registers no transaction observer that a bypassed hook would miss.
struct RowBinder {
    private let statement: Statement
    private let handle: SQLiteStatement
    private let db: Database

    /// The statement for `sql`, reset and with no value bound.
    init(sql: String, _ db: Database) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        self.db = db
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }
    func bind(_ index: Int32, _ value: Bool) { sqlite3_bind_int64(handle, index, value ? 1 : 0) }

    func bind(_ index: Int32, _ value: Int?) {
        if let value { sqlite3_bind_int64(handle, index, Int64(value)) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { text in
            // A row's text is far below Int32.max; a longer one would be cut by SQLite's limit anyway.
            _ = sqlite3_bind_text(handle, index, text.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                  Int32(clamping: text.count), Self.transient)
        }
    }

    func bind(_ index: Int32, tag: TagID) {
        tag.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(clamping: bytes.count), Self.transient)
        }
    }

    /// Runs the statement once; an error is GRDB's `DatabaseError` with SQLite's extended code, so
    /// `EventLog.classify` tells a full disk from a damaged file as for any other write.
    func run() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let connection = db.sqliteConnection
            let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
            let message = connection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
        }
        sqlite3_reset(handle)
    }

    /// Rows changed by the last `run()`.
    var changes: Int { db.sqliteConnection.map { Int(sqlite3_changes($0)) } ?? 0 }
}
