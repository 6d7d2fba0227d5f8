namespace CreditGrid.Testing;

/// <summary>Polls an asynchronous condition: the log reaches subject and city grains through a stream.</summary>
public static class Eventually
{
    /// <returns>The first value that satisfies <paramref name="done"/>, or the last one seen when time runs out.</returns>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}
