using CreditGrid.Storage.PreCredit;

namespace CreditGrid.Gateway.Tests.PreCredit;

/// <summary>The single-process decision store packs documents as bytes; every decision must come back exactly.</summary>
public sealed class InMemoryPreCreditDecisionStoreTests
{
    [Fact]
    public async Task Decisions_saved_concurrently_over_every_shard_come_back_exactly()
    {
        using var store = new InMemoryPreCreditDecisionStore();
        var ct = TestContext.Current.CancellationToken;
        var start = new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.FromHours(8));
        // About 12 MB of documents over the store's 32 shards, with multi-byte text on every one (segments filling up
        // and overflowing are PackedSegmentsTests' concern).
        var decisions = Enumerable.Range(0, 3000).Select(i => new StoredDecision(
            Guid.NewGuid(),
            "91610100MA6TGXXX0" + (i % 10),
            "91610103MA6U" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
            start.AddSeconds(i),
            i % 3 == 0 ? "REFER" : "APPROVE_INDICATIVE",
            "model-7",
            $$"""{"n":{{i}},"reason":"纳税信用A级，社保缴纳正常 {{i}}","pad":"{{new string('x', 4000 + (i % 97))}}"}""")).ToList();

        await Parallel.ForEachAsync(decisions, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (decision, token) =>
            await store.SaveAsync(decision, token));

        foreach (var decision in decisions)
        {
            Assert.Equal(decision, await store.GetAsync(decision.Id, ct));
        }

        Assert.Null(await store.GetAsync(Guid.NewGuid(), ct));
    }

    [Fact]
    public async Task An_exported_decision_carries_its_document_and_latest_outcome()
    {
        var store = new InMemoryPreCreditDecisionStore();
        var ct = TestContext.Current.CancellationToken;
        var decision = new StoredDecision(Guid.NewGuid(), "bank", "enterprise", DateTimeOffset.UnixEpoch, "APPROVE_INDICATIVE", "m1", """{"理由":"按时纳税"}""");
        await store.SaveAsync(decision, ct);
        Assert.True(await store.AddOutcomeAsync(new StoredOutcome(decision.Id, DateTimeOffset.UnixEpoch.AddDays(1), OutcomeStatuses.Granted, 100_000m), ct));

        var exported = Assert.Single(await store.ExportAsync(ct).ToListAsync(ct));

        Assert.Equal(decision, exported.Decision);
        Assert.Equal(OutcomeStatuses.Granted, exported.Outcome.Status);
    }

    [Fact]
    public async Task KeysComeBackWithTheirTextAndTheInstantWithItsOffset()
    {
        var store = new InMemoryPreCreditDecisionStore();
        var ct = TestContext.Current.CancellationToken;
        var decisions = new[]
        {
            new StoredDecision(Guid.NewGuid(), "银行甲", "", new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.FromHours(8)), "REFER", "模型-1", ""),
            new StoredDecision(Guid.NewGuid(), "bank", "enterprise", new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.FromMinutes(-150)), "REJECT", "m", "{}"),
        };

        foreach (var decision in decisions)
        {
            await store.SaveAsync(decision, ct);
        }

        foreach (var decision in decisions)
        {
            var fetched = await store.GetAsync(decision.Id, ct);
            Assert.Equal(decision, fetched);
            Assert.Equal(decision.DecidedAt.Offset, fetched!.DecidedAt.Offset);
        }
    }
}
