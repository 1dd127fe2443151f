/// A min-heap: the reorder buffer's events by time, the pending departures by deadline.
/// (swift-collections' `Heap` would do; this module keeps to the standard library so the site's
/// pure logic builds with nothing but the model and the zone rules.)
struct BinaryHeap<Element: Comparable & Sendable>: Sendable {
    private var items: [Element] = []

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }
    var min: Element? { items.first }

    mutating func insert(_ element: Element) {
        items.append(element)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < items.count, items[left] < items[best] { best = left }
            if right < items.count, items[right] < items[best] { best = right }
            guard best != parent else { break }
            items.swapAt(parent, best)
            parent = best
        }
        return top
    }
}
