import Testing
import TagwayControl

/// The reload queue's coalescing rules (the SIGHUP and file-watch requests of `ConfigReloader`).
@Suite struct ReloadRequestsTests {
    /// `request` is mutating, which `#expect` cannot call on its argument.
    func queue(_ requests: inout ReloadRequests, _ reason: String) -> Bool { requests.request(reason) }

    @Test func aBurstBeforeTheJobStartsIsOneReload() {
        var requests = ReloadRequests()
        #expect(queue(&requests, "file change"))
        #expect(!queue(&requests, "file change"))
        #expect(!queue(&requests, "file change"))
        #expect(requests.take() == "file change")
        // The job has started: the next request queues another reload.
        #expect(queue(&requests, "file change"))
    }

    @Test func aSignalInTheBurstMakesTheReloadUnconditional() {
        var requests = ReloadRequests()
        #expect(queue(&requests, "file change"))
        #expect(!queue(&requests, ReloadRequests.signal))
        #expect(!queue(&requests, "file change"))
        let reason = requests.take()
        #expect(reason == ReloadRequests.signal)
        #expect(ReloadRequests.shouldReload(reason: reason, text: "same", loadedText: "same"))
    }

    @Test func aFileEventForTheTextAlreadyLoadedIsNoReload() {
        #expect(!ReloadRequests.shouldReload(reason: "file change", text: "zones: []", loadedText: "zones: []"))
        #expect(ReloadRequests.shouldReload(reason: "file change", text: "zones: [a]", loadedText: "zones: []"))
    }
}
