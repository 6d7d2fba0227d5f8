using CreditGrid.Testing;

namespace CreditGrid.PostgreSql.Tests;

public sealed class ReminderTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_reminder_registered_before_a_restart_fires_after_it()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("reminders", ct);
        var key = "restart-" + Guid.NewGuid().ToString("N");

        await using (var silo = await TestSilo.StartAsync(connectionString, "reminders", ct))
        {
            await silo.Grains.GetGrain<ITickGrain>(key).StartAsync(TimeSpan.FromSeconds(2));
            await silo.StopAsync();
        }

        Assert.Equal(1L, await Databases.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_reminders", ct));
        var restartedAt = DateTime.UtcNow;

        await using var restarted = await TestSilo.StartAsync(connectionString, "reminders", ct);
        await TestSilo.WaitUntilAsync(
            () => Task.FromResult(TickGrain.Ticks.TryGetValue(key, out var ticks) && ticks.Any(t => t > restartedAt)),
            TimeSpan.FromSeconds(30),
            "the reminder fires on the restarted silo",
            ct);

        await restarted.Grains.GetGrain<ITickGrain>(key).StopAsync();
        Assert.Equal(0L, await Databases.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_reminders", ct));
    }
}
