namespace CreditGrid.Grains.Hosting;

/// <summary>
/// Work a hosted service repeats on a timer until its host stops. A round that fails is reported and tried again at the
/// next tick. A round the stop cuts short is the end of the work, not a failure: a host stopping while a grain call is
/// in flight (say, to a silo that has just died) would otherwise report the call's time-out as its service failing,
/// and with the default <see cref="Microsoft.Extensions.Hosting.BackgroundServiceExceptionBehavior"/> log it as critical.
/// </summary>
public static class PeriodicWork
{
    /// <summary>Runs <paramref name="round"/> at once and then every <paramref name="interval"/> until <paramref name="stopping"/>.</summary>
    public static async Task RunAsync(Func<Task> round, TimeSpan interval, Action<Exception> failed, CancellationToken stopping, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(failed);
        using var timer = new PeriodicTimer(interval, time ?? TimeProvider.System);
        try
        {
            do
            {
                try
                {
                    await round().ConfigureAwait(false);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    failed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping: whatever the interrupted round or the wait for the next one threw, the work is over.
        }
    }
}
