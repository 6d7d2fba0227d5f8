using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Subjects;
using CreditGrid.Testing;

namespace CreditGrid.Grains.Tests;

/// <summary>
/// When a subject writes its snapshot: after <see cref="SubjectGrainOptions.SnapshotEvery"/> folded events, before a
/// warning action is acknowledged (the log cannot replay it), and on deactivation; a few folded events alone wait for deactivation and
/// are replayed from the log if the process dies first.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class SnapshotPolicyTests(GridClusterFixture grid)
{
    private static readonly TimeSpan WellPastTheInterval = GridClusterFixture.SnapshotInterval * 4;

    [Fact]
    public async Task AFewEventsAreSnapshottedOnlyWhenTheSubjectDeactivates()
    {
        var subject = Records.NewEnterprise();
        await grid.Log.AppendAsync([Records.Licence(subject), Records.GeneralPenalty(subject)], TestContext.Current.CancellationToken);
        await WaitForSequence(subject, 2);

        await Task.Delay(WellPastTheInterval, TestContext.Current.CancellationToken);
        var beforeDeactivation = await grid.StoredSnapshotAsync(subject);
        await grid.Cluster.DeactivateAsync(grid.Grains.GetGrain<IEnterpriseGrain>(subject));
        var afterDeactivation = await Eventually.Until(() => grid.StoredSnapshotAsync(subject), s => s is not null);

        Assert.Null(beforeDeactivation);
        Assert.Equal(2, afterDeactivation!.Evaluation!.LastAppliedSequence);
    }

    [Fact]
    public async Task EnoughEventsMakeASnapshotDueWithinTheInterval()
    {
        var subject = Records.NewEnterprise();
        var events = Enumerable.Range(0, GridClusterFixture.SnapshotEvery + 1).Select(_ => Records.Licence(subject)).ToArray();
        await grid.Log.AppendAsync(events, TestContext.Current.CancellationToken);
        await WaitForSequence(subject, events.Length);

        var stored = await Eventually.Until(() => grid.StoredSnapshotAsync(subject), s => s is not null);

        Assert.InRange(stored!.Evaluation!.LastAppliedSequence, GridClusterFixture.SnapshotEvery, events.Length);
    }

    [Fact]
    public async Task AWarningActionIsStoredBeforeItIsAcknowledged()
    {
        var subject = Records.NewEnterprise();
        await grid.Log.AppendAsync([Records.SeriousListing(subject)], TestContext.Current.CancellationToken);
        var view = await WaitForSequence(subject, 1);
        var warning = view!.ActiveWarnings[0];

        var outcome = await grid.Grains.GetGrain<IEnterpriseGrain>(subject).ApplyWarningActionAsync(warning.Id, WarningAction.Acknowledge);
        var stored = await grid.StoredSnapshotAsync(subject);

        Assert.Null(outcome.Error);
        Assert.Equal(WarningStatus.Acknowledged, Assert.Single(stored!.Evaluation!.Warnings, w => w.Id == warning.Id).Status);
    }

    private Task<SubjectView?> WaitForSequence(string subject, long sequence) =>
        Eventually.Until(() => grid.Grains.GetGrain<IEnterpriseGrain>(subject).GetViewAsync(), v => v?.LastAppliedSequence >= sequence);
}
