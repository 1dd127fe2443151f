import Testing
import TagwayAPI

/// The descriptor budget: what the pull API may hold after the reserve for readers and the log,
/// with saturating arithmetic on whatever limit the system reports.
@Suite struct DescriptorBudgetTests {
    @Test func theAPIGetsWhatIsLeftAfterTheReserve() {
        let budget = DescriptorBudget(limit: 256, inUse: 20, readers: 1)
        #expect(budget.reserve == 64 + 8)
        #expect(budget.apiConnections == 256 - 20 - 72 - DescriptorBudget.acceptOvershoot)
        #expect(DescriptorBudget(limit: 512, inUse: 30, readers: 10).apiConnections == 512 - 30 - 144 - 3)
    }

    @Test func aHighLimitIsCappedBelowSelectsRange() {
        #expect(DescriptorBudget(limit: 1 << 20, inUse: 40, readers: 4).apiConnections == DescriptorBudget.apiCeiling)
        #expect(DescriptorBudget(limit: .max, inUse: 0, readers: 0).apiConnections == DescriptorBudget.apiCeiling)
    }

    @Test func aLimitBelowTheReserveLeavesTheAPINothing() {
        #expect(DescriptorBudget(limit: 64, inUse: 10, readers: 2).apiConnections == 0)
        #expect(DescriptorBudget(limit: 0, inUse: 3, readers: 0).apiConnections == 0)
    }

    @Test func hostileCountsSaturateInsteadOfTrapping() {
        let many = DescriptorBudget(limit: 1 << 20, inUse: 5, readers: .max)
        #expect(many.reserve == .max)
        #expect(many.apiConnections == 0)
        #expect(DescriptorBudget(limit: .min, inUse: .max, readers: .min).apiConnections == 0)
        #expect(DescriptorBudget(limit: .max, inUse: .min, readers: 1).apiConnections == DescriptorBudget.apiCeiling)
    }
}
