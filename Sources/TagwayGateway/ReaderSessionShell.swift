import TagwayRuntime
import TagwaySessions

/// What a transport's shell does for the session machine: execute its actions (an open's outcome
/// comes back as the next input) and drop its timers when the session ends.
protocol ReaderSessionShell {
    mutating func execute(_ action: ReaderSessionAction) async -> ReaderSessionInput?
    func cancelTimers()
}

extension ReaderSessionMachine {
    /// The loop of every reader session shell (termios, TCP): inputs from `inbox` go to the
    /// machine one at a time, each with the inputs its actions produce, until the machine stops or
    /// the task is cancelled. `observe` sees each input before the machine does (for logging).
    ///
    /// Cancellation posts `.stop`, but it also ends the inbox's stream, possibly before that
    /// `.stop` is in it: the stop (a farewell, the close) is then handed to the machine here.
    mutating func drive<Shell: ReaderSessionShell>(_ inbox: Inbox<ReaderSessionInput>, shell: inout Shell,
                                                   observe: (ReaderSessionInput, Self) -> Void = { _, _ in }) async {
        var deliveries = inbox.deliveries.makeAsyncIterator()
        await withTaskCancellationHandler {
            while let delivery = await deliveries.next() {
                observe(delivery.element, self)
                var pending = [delivery.element]
                while !pending.isEmpty {
                    for action in handle(pending.removeFirst()) {
                        if let outcome = await shell.execute(action) { pending.append(outcome) }
                    }
                }
                delivery.done()
                if isStopped { break }
            }
        } onCancel: {
            inbox.post(.stop)
        }
        if !isStopped {
            for action in handle(.stop) { _ = await shell.execute(action) }
        }
        shell.cancelTimers()
        inbox.close()
        while let late = await deliveries.next() { late.done() }
    }
}
