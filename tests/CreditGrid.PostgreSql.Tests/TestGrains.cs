using System.Collections.Concurrent;
using Orleans.Runtime;

namespace CreditGrid.PostgreSql.Tests;

[Alias("test.counter")]
public interface ICounterGrain : IGrainWithIntegerKey
{
    [Alias("increment")]
    Task<int> IncrementAsync();

    [Alias("get")]
    Task<int> GetAsync();

    [Alias("clear")]
    Task ClearAsync();
}

[Alias("test.other-counter")]
public interface IOtherCounterGrain : ICounterGrain;

/// <summary>Persistent counter state; a record with an enum to exercise the serializer choice.</summary>
public sealed class CounterState
{
    public int Value { get; set; }

    public CounterKind Kind { get; set; }

    public string Note { get; set; } = "";
}

public enum CounterKind
{
    Unset,
    Counted,
}

/// <summary>Both counter grains use the same state name, so only the grain type keeps their rows apart.</summary>
public abstract class CounterGrainBase(IPersistentState<CounterState> state) : Grain
{
    public async Task<int> IncrementAsync()
    {
        state.State.Value++;
        state.State.Kind = CounterKind.Counted;
        state.State.Note = "计数 " + GetType().Name;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);

    public Task ClearAsync() => state.ClearStateAsync();
}

public sealed class CounterGrain([PersistentState("counter", TestSilo.StorageName)] IPersistentState<CounterState> state)
    : CounterGrainBase(state), ICounterGrain;

public sealed class OtherCounterGrain([PersistentState("counter", TestSilo.StorageName)] IPersistentState<CounterState> state)
    : CounterGrainBase(state), IOtherCounterGrain;

[Alias("test.tick")]
public interface ITickGrain : IGrainWithStringKey
{
    [Alias("start")]
    Task StartAsync(TimeSpan period);

    [Alias("stop")]
    Task StopAsync();
}

/// <summary>Records every reminder tick in process-wide memory, which outlives any one silo of the test.</summary>
public sealed class TickGrain : Grain, ITickGrain, IRemindable
{
    public const string ReminderName = "tick";

    public static ConcurrentDictionary<string, ConcurrentQueue<DateTime>> Ticks { get; } = new();

    public Task StartAsync(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, period, period);

    public async Task StopAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.GetOrAdd(this.GetPrimaryKeyString(), _ => new ConcurrentQueue<DateTime>()).Enqueue(DateTime.UtcNow);
        return Task.CompletedTask;
    }
}
