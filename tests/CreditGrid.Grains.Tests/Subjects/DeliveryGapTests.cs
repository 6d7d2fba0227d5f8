using CreditGrid.Testing;

namespace CreditGrid.Grains.Tests.Subjects;

/// <summary>
/// A subject whose snapshot is behind the stream, as after a silo died between folding events and writing their
/// snapshot: the stream's next delivery starts after events the subject no longer holds, and the subject reads them
/// from the log before it folds the delivery.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class DeliveryGapTests(GridClusterFixture grid)
{
    [Fact]
    public async Task ADeliveryAheadOfTheSnapshotIsPrecededByWhatTheLogHolds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (subject, enterprise, before) = await grid.SnapshottedEnterpriseAsync(cancellationToken);
        await grid.ForgetSnapshotAsync(subject);

        // The read that waited for those events replays the log itself, so the stream's own delivery of them can still
        // be on its way and bring the subject back with the snapshot just deleted. Deactivated again, the subject's next
        // activation starts from nothing.
        await grid.Cluster.DeactivateAsync(enterprise);

        // Enough events for a snapshot to fall due, so the folded state is stored without a read, which would replay
        // the log itself. The stream has delivered the first two, so it starts this delivery at sequence 3.
        var after = Enumerable.Range(0, GridClusterFixture.SnapshotEvery).Select(_ => Records.GeneralPenalty(subject)).ToArray();
        await grid.Log.AppendAsync(after, cancellationToken);
        var total = before.Length + after.Length;
        var stored = await Eventually.Until(() => grid.StoredSnapshotAsync(subject), s => s?.Evaluation?.LastAppliedSequence >= total);

        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), stored!.Evaluation!.Records.Select(r => r.SubjectSequence).Order());
        Assert.Equal(
            before.Concat(after).Select(e => e.RecordId).Order(StringComparer.Ordinal),
            stored.Evaluation.Records.Select(r => r.RecordId).Order(StringComparer.Ordinal));
    }
}
