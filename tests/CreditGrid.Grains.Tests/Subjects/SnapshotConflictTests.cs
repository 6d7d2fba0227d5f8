using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Subjects;
using CreditGrid.Testing;

namespace CreditGrid.Grains.Tests.Subjects;

/// <summary>
/// An activation whose snapshot was written elsewhere since it read it can never write again: it steps aside, and the
/// next activation starts from the newer snapshot and the log.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class SnapshotConflictTests(GridClusterFixture grid)
{
    [Fact]
    public async Task AnActivationOverwrittenInStorageStepsAsideAndTheNextOneStoresEveryEvent()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (subject, enterprise, before) = await grid.SnapshottedEnterpriseAsync(cancellationToken);

        // A new activation reads that snapshot; then the row is written behind its back.
        await enterprise.GetViewAsync();
        await grid.RewriteSnapshotAsync(subject);

        // Enough events for the activation's next snapshot to fall due: that write meets the newer version.
        var after = Enumerable.Range(0, GridClusterFixture.SnapshotEvery).Select(_ => Records.GeneralPenalty(subject)).ToArray();
        await grid.Log.AppendAsync(after, cancellationToken);
        var total = before.Length + after.Length;

        // Reads keep the subject active; only an activation that stepped aside lets a fresh one store the events.
        var stored = await Eventually.Until(
            async () =>
            {
                await enterprise.GetViewAsync();
                return await grid.StoredSnapshotAsync(subject);
            },
            s => s?.Evaluation?.LastAppliedSequence >= total);

        Assert.Equal(total, stored?.Evaluation?.LastAppliedSequence);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), stored!.Evaluation!.Records.Select(r => r.SubjectSequence).Order());
    }

    [Fact]
    public async Task AWarningActionWhoseWriteMeetsANewerVersionIsRefusedAndTheWarningStaysOpen()
    {
        var subject = Records.NewEnterprise();
        var enterprise = grid.Grains.GetGrain<IEnterpriseGrain>(subject);
        await grid.Log.AppendAsync([Records.SeriousListing(subject)], TestContext.Current.CancellationToken);
        var view = await Eventually.Until(enterprise.GetViewAsync, v => v?.LastAppliedSequence >= 1);
        var warning = view!.ActiveWarnings[0];
        await grid.RewriteSnapshotAsync(subject);

        await Assert.ThrowsAnyAsync<Exception>(() => enterprise.ApplyWarningActionAsync(warning.Id, WarningAction.Acknowledge));
        var afterRefusal = await enterprise.GetViewAsync();

        // The refused activation stepped aside; the action succeeds once the next one has read the newer version.
        var outcome = await Eventually.Until(
            async () =>
            {
                try
                {
                    return await enterprise.ApplyWarningActionAsync(warning.Id, WarningAction.Acknowledge);
                }
                catch (Orleans.Runtime.OrleansException)
                {
                    return null;
                }
            },
            o => o?.Warning is not null);
        var stored = await grid.StoredSnapshotAsync(subject);

        Assert.Equal(WarningStatus.Open, Assert.Single(afterRefusal!.ActiveWarnings, w => w.Id == warning.Id).Status);
        Assert.Equal(WarningStatus.Acknowledged, outcome?.Warning?.Status);
        Assert.Equal(WarningStatus.Acknowledged, Assert.Single(stored!.Evaluation!.Warnings, w => w.Id == warning.Id).Status);
    }
}
