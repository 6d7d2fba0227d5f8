using CreditGrid.Domain.Scoring;
using CreditGrid.Testing;
using CreditGrid.Grains.Alerts;
using CreditGrid.Storage.Entries;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CreditGrid.Grains.Tests;

/// <summary>The desk persists one entry per warning; each test uses a desk key of its own, not the province's.</summary>
[Collection(GridCollection.Name)]
public sealed class AlertDeskTests(GridClusterFixture grid)
{
    private static readonly DateTimeOffset Raised = new(2026, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task TheFeedSurvivesDeactivationAndEachWarningIsOneStoredEntry()
    {
        const string key = "desk-across-deactivation";
        var desk = grid.Grains.GetGrain<IAlertDeskGrain>(key);
        await PublishAsync(desk, Warning("w-1", WarningStatus.Open), 1);
        await PublishAsync(desk, Warning("w-2", WarningStatus.Open), 2);
        await PublishAsync(desk, Warning("w-1", WarningStatus.Acknowledged), 3);
        var live = await desk.GetFeedAsync(0, 10);

        await grid.Cluster.DeactivateAsync(desk);
        var reactivated = grid.Grains.GetGrain<IAlertDeskGrain>(key);

        Assert.Equal(["w-2", "w-1"], live.Select(a => a.WarningId));
        Assert.Equal(live, await reactivated.GetFeedAsync(0, 10));
        Assert.Equal(3, await reactivated.GetLastFeedSequenceAsync());
        var stored = await Entries().ReadAsync("alert-desk/" + key, TestContext.Current.CancellationToken);
        Assert.Equal(["w-1", "w-2"], stored.Select(e => e.Key).Order(StringComparer.Ordinal));

        // The counter goes on from the stored warnings, so a feed reader never sees a number twice.
        await PublishAsync(reactivated, Warning("w-3", WarningStatus.Open), 4);
        Assert.Equal(4, (await reactivated.GetFeedAsync(3, 10)).Single().FeedSequence);
    }

    [Fact]
    public async Task ADeskStoredAsOneRecordIsCarriedOverIntoEntriesAndTheRecordCleared()
    {
        const string key = "desk-stored-whole";
        var id = GrainId.Create("alert-desk", key);
        var storage = grid.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CreditStorage.StateStorageName);
        var whole = new AlertDeskState { LastFeedSequence = 5 };
        whole.Warnings["w-a"] = Warning("w-a", WarningStatus.Open) with { FeedSequence = 3 };
        whole.Warnings["w-b"] = Warning("w-b", WarningStatus.Escalated) with { FeedSequence = 5 };
        await storage.WriteStateAsync("alerts", id, new GrainState<AlertDeskState>(whole));

        var desk = grid.Grains.GetGrain<IAlertDeskGrain>(key);
        var feed = await desk.GetFeedAsync(0, 10);

        Assert.Equal([3L, 5L], feed.Select(a => a.FeedSequence));
        Assert.Equal(WarningStatus.Escalated, feed[1].Status);
        Assert.Equal(5, await desk.GetLastFeedSequenceAsync());
        var stored = await Entries().ReadAsync("alert-desk/" + key, TestContext.Current.CancellationToken);
        Assert.Equal(2, stored.Count);
        var record = new GrainState<AlertDeskState>(new AlertDeskState());
        await storage.ReadStateAsync("alerts", id, record);
        Assert.False(record.RecordExists);
    }

    /// <summary>Publishing is one-way, so each publication is awaited on the counter before the next is sent.</summary>
    private static async Task PublishAsync(IAlertDeskGrain desk, Alert alert, long feedSequence)
    {
        await desk.PublishAsync(alert);
        await Eventually.Until(() => desk.GetLastFeedSequenceAsync(), last => last == feedSequence);
    }

    private IGrainEntryStore Entries() => grid.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainEntryStore>();

    private static Alert Warning(string id, WarningStatus status) => new(
        id, "91610000MA6TEST00X", "610100", WarningRuleIds.LicenceExpiring, WarningSeverity.Yellow, status,
        "test warning", Raised, status == WarningStatus.Open ? null : Raised.AddHours(1), null);
}
