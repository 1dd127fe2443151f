import Dispatch

/// Runs a call that blocks in the kernel or in libusb (open, control transfers, close) on a
/// dispatch thread, so it does not hold one of Swift concurrency's few cooperative threads.
enum BlockingCall {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws(USBError) -> T) async throws(USBError) -> T {
        let result: Result<T, USBError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(USBError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    static func run(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                body()
                continuation.resume()
            }
        }
    }
}
