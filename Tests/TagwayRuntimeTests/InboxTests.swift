import Testing
@testable import TagwayRuntime

/// The shells' input queue: order kept, `deliver` held until the loop has handled the element.
@Suite struct InboxTests {
    @Test func elementsArriveInOrder() async {
        let inbox = Inbox<Int>()
        for n in 1...3 { inbox.post(n) }
        inbox.close()
        var seen: [Int] = []
        for await delivery in inbox.deliveries {
            seen.append(delivery.element)
            delivery.done()
        }
        #expect(seen == [1, 2, 3])
    }

    @Test func deliverReturnsOnlyOnceTheElementIsHandled() async {
        let inbox = Inbox<String>()
        let handled = Inbox<String>()
        let sender = Task {
            await inbox.deliver("chunk")
            handled.post("sender resumed")
        }
        var deliveries = inbox.deliveries.makeAsyncIterator()
        let delivery = await deliveries.next()
        #expect(delivery?.element == "chunk")
        // Nothing released the sender yet: the only thing it can have done is wait.
        handled.post("loop handled it")
        delivery?.done()
        await sender.value
        handled.close()
        var order: [String] = []
        for await note in handled.deliveries { order.append(note.element) }
        #expect(order == ["loop handled it", "sender resumed"])
    }

    @Test func deliverToAClosedInboxReturnsAtOnce() async {
        let inbox = Inbox<Int>()
        inbox.close()
        await inbox.deliver(1)
        inbox.post(2)
        var count = 0
        for await _ in inbox.deliveries { count += 1 }
        #expect(count == 0)
    }

    @Test func elementsQueuedBeforeCloseAreStillDeliveredAndReleased() async {
        let inbox = Inbox<Int>()
        let sender = Task { await inbox.deliver(7) }
        var deliveries = inbox.deliveries.makeAsyncIterator()
        let first = await deliveries.next()
        inbox.close()
        #expect(first?.element == 7)
        first?.done()
        await sender.value
        #expect(await deliveries.next() == nil)
    }
}
