using CreditGrid.Testing;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Subjects;
using CreditGrid.Storage;
using Orleans.Streaming.Diagnostics;

namespace CreditGrid.Grains.Tests;

[Collection(GridCollection.Name)]
public sealed class EnterpriseGrainTests(GridClusterFixture grid)
{
    [Fact]
    public async Task EventsAppendedToTheLogAreFoldedInSequenceOrder()
    {
        var subject = Records.NewEnterprise();
        await grid.Log.AppendAsync([Records.Licence(subject), Records.GeneralPenalty(subject), Records.Licence(subject)], TestContext.Current.CancellationToken);

        var view = await WaitForSequence(subject, 3);

        Assert.NotNull(view);
        Assert.Equal(3, view.LastAppliedSequence);
        var expected = await ReplayFromZero(subject);
        Assert.Equal(expected.Score, view.Score);
        Assert.Equal(expected.Grade, view.Grade);
        Assert.Equal(expected.Tier, view.Tier);
    }

    [Fact]
    public async Task AQuietSubjectsStreamIsForgottenAndItsNextEventStillArrives()
    {
        var subject = Records.NewEnterprise();
        var forgotten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = StreamingEvents.AllEvents.Subscribe(new Watcher(e =>
        {
            if (e is StreamingEvents.StreamInactive inactive && inactive.StreamId.GetKeyAsString() == subject)
            {
                forgotten.TrySetResult();
            }
        }));
        await grid.Log.AppendAsync([Records.Licence(subject)], TestContext.Current.CancellationToken);
        await WaitForSequence(subject, 1);

        // The fixture's inactivity period is one second: the queue drops the quiet stream. The grain stays active and
        // current, so only a stream delivery (not a read's catch-up) can bring event 2.
        await forgotten.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        await grid.Log.AppendAsync([Records.GeneralPenalty(subject)], TestContext.Current.CancellationToken);
        var view = await WaitForSequence(subject, 2);

        Assert.Equal(2, view!.LastAppliedSequence);
        Assert.Equal((await ReplayFromZero(subject)).Score, view.Score);
    }

    [Fact]
    public async Task ResubmittedBatchIsNotAppliedTwice()
    {
        var subject = Records.NewEnterprise();
        var batch = new[] { Records.GeneralPenalty(subject), Records.Licence(subject) };
        await grid.Log.AppendAsync(batch, TestContext.Current.CancellationToken);
        var first = await WaitForSequence(subject, 2);

        var again = await grid.Log.AppendAsync(batch, TestContext.Current.CancellationToken);
        var caughtUp = await grid.Grains.GetGrain<IEnterpriseGrain>(subject).CatchUpAsync();
        var second = await grid.Grains.GetGrain<IEnterpriseGrain>(subject).GetViewAsync();

        Assert.All(again, outcome => Assert.Equal(AppendStatus.Duplicate, outcome.Status));
        Assert.Equal(2, caughtUp);
        Assert.Equal(first!.Score, second!.Score);
        Assert.Equal(2, second.LastAppliedSequence);
    }

    [Fact]
    public async Task ReactivatedGrainReplaysTheLogToTheSameState()
    {
        var subject = Records.NewEnterprise();
        await grid.Log.AppendAsync([Records.GeneralPenalty(subject), Records.GeneralPenalty(subject), Records.Licence(subject)], TestContext.Current.CancellationToken);
        var live = await WaitForSequence(subject, 3);

        await grid.Cluster.DeactivateAsync(grid.Grains.GetGrain<IEnterpriseGrain>(subject));
        var replayed = await grid.Grains.GetGrain<IEnterpriseGrain>(subject).GetViewAsync();

        Assert.Equal(live!.Score, replayed!.Score);
        Assert.Equal(live.Dimensions, replayed.Dimensions);
        Assert.Equal(3, replayed.LastAppliedSequence);
    }

    [Fact]
    public async Task UnknownSubjectHasNoView()
    {
        var view = await grid.Grains.GetGrain<IEnterpriseGrain>(Records.NewEnterprise()).GetViewAsync();

        Assert.Null(view);
    }

    [Fact]
    public async Task SeriousDishonestyListingForcesGradeDAndHighTier()
    {
        var subject = Records.NewEnterprise();
        await grid.Log.AppendAsync([Records.Licence(subject), Records.SeriousListing(subject)], TestContext.Current.CancellationToken);

        var view = await WaitForSequence(subject, 2);

        Assert.Equal(CreditGrade.D, view!.Grade);
        Assert.Equal(SupervisionTier.High, view.Tier);
        Assert.True(view.SeriouslyDishonest);
    }

    private sealed class Watcher(Action<StreamingEvents.StreamingEvent> onNext) : IObserver<StreamingEvents.StreamingEvent>
    {
        public void OnNext(StreamingEvents.StreamingEvent value) => onNext(value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }

    private Task<SubjectView?> WaitForSequence(string subject, long sequence) =>
        Eventually.Until(() => grid.Grains.GetGrain<IEnterpriseGrain>(subject).GetViewAsync(), v => v?.LastAppliedSequence >= sequence);

    private async Task<SubjectEvaluation> ReplayFromZero(string subject)
    {
        var evaluator = new CreditEvaluator(CreditRules.Default);
        var now = DateTimeOffset.UtcNow;
        var state = evaluator.Initial(subject, now);
        foreach (var logged in await grid.Log.ReadSubjectAsync(subject, 0, 1000))
        {
            state = evaluator.Evolve(state, logged, now);
        }

        return state;
    }
}
