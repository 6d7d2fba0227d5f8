using CreditGrid.Grains.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CreditGrid.Grains.Tests.Hosting;

/// <summary>Work repeated on a timer: failures retried, a stop mid-round an end rather than a failure.</summary>
public sealed class PeriodicWorkTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_failed_round_is_reported_and_the_next_tick_runs_another()
    {
        var time = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        var rounds = 0;
        var failures = new List<Exception>();
        var secondRound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = PeriodicWork.RunAsync(
            () =>
            {
                if (++rounds == 2)
                {
                    secondRound.TrySetResult();
                }

                return rounds == 1 ? Task.FromException(new TimeoutException("first round")) : Task.CompletedTask;
            },
            Interval, failures.Add, stop.Token, time);

        Assert.Equal(1, rounds);
        time.Advance(Interval);
        await secondRound.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await work.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal("first round", Assert.Single(failures).Message);
        Assert.Equal(2, rounds);
        Assert.True(work.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_round_that_fails_because_the_host_stopped_ends_the_work_without_a_failure()
    {
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var failures = new List<Exception>();
        var work = PeriodicWork.RunAsync(() => inFlight.Task, Interval, failures.Add, stop.Token, new FakeTimeProvider());

        // The host stops while the round waits, say, for a grain call to a silo that has died; the call then times out.
        await stop.CancelAsync();
        Assert.False(work.IsCompleted);
        inFlight.SetException(new TimeoutException("Response did not arrive on time"));
        await work.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(work.IsCompletedSuccessfully);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_stop_between_rounds_ends_the_work_at_once()
    {
        using var stop = new CancellationTokenSource();
        var rounds = 0;
        var work = PeriodicWork.RunAsync(() => { rounds++; return Task.CompletedTask; }, Interval, _ => { }, stop.Token, new FakeTimeProvider());

        await stop.CancelAsync();
        await work.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(work.IsCompletedSuccessfully);
        Assert.Equal(1, rounds);
    }
}
