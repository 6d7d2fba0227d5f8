using System.Text;
using CreditGrid.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;

namespace CreditGrid.PostgreSql.Tests;

public sealed class GrainStorageTests(PostgresFixture postgres)
{
    [Fact]
    public async Task State_round_trips_and_survives_a_silo_restart()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("storage_restart", ct);

        await using (var silo = await TestSilo.StartAsync(connectionString, "storage", ct))
        {
            var counter = silo.Grains.GetGrain<ICounterGrain>(42);
            Assert.Equal(1, await counter.IncrementAsync());
            Assert.Equal(2, await counter.IncrementAsync());
            await silo.StopAsync();
        }

        await using var restarted = await TestSilo.StartAsync(connectionString, "storage", ct);
        Assert.Equal(2, await restarted.Grains.GetGrain<ICounterGrain>(42).GetAsync());

        // System.Text.Json without .NET type names, enums by name.
        var payload = await ReadPayloadAsync(connectionString, ct);
        Assert.Contains("\"Kind\":\"Counted\"", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_grain_types_with_the_same_key_and_state_name_keep_separate_rows()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("storage_types", ct);
        await using var silo = await TestSilo.StartAsync(connectionString, "storage", ct);

        await silo.Grains.GetGrain<ICounterGrain>(7).IncrementAsync();
        await silo.Grains.GetGrain<IOtherCounterGrain>(7).IncrementAsync();
        await silo.Grains.GetGrain<IOtherCounterGrain>(7).IncrementAsync();

        Assert.Equal(1, await silo.Grains.GetGrain<ICounterGrain>(7).GetAsync());
        Assert.Equal(2, await silo.Grains.GetGrain<IOtherCounterGrain>(7).GetAsync());
        var types = await Databases.ScalarAsync<string[]>(connectionString, "SELECT array_agg(grain_type ORDER BY grain_type) FROM orleans_storage", ct);
        Assert.Equal(["counter|counter", "othercounter|counter"], types);
    }

    [Fact]
    public async Task Etag_conflicts_are_detected_and_clear_keeps_the_version_moving()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("storage_etag", ct);
        await using var silo = await TestSilo.StartAsync(connectionString, "storage", ct);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(TestSilo.StorageName);
        var grainId = GrainId.Create("counter", "etag");

        var missing = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", grainId, missing);
        Assert.Null(missing.ETag);
        Assert.False(missing.RecordExists);

        var writer = new GrainState<CounterState>(new CounterState { Value = 1 });
        await storage.WriteStateAsync("counter", grainId, writer);
        Assert.Equal("1", writer.ETag);
        Assert.True(writer.RecordExists);

        // A second activation that never read the record must not overwrite it.
        var stranger = new GrainState<CounterState>(new CounterState { Value = 99 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grainId, stranger));

        var stale = new GrainState<CounterState>(new CounterState { Value = 50 }) { ETag = "1" };
        writer.State!.Value = 2;
        await storage.WriteStateAsync("counter", grainId, writer);
        Assert.Equal("2", writer.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grainId, stale));

        var reader = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", grainId, reader);
        Assert.Equal(2, reader.State!.Value);
        Assert.Equal("2", reader.ETag);

        await storage.ClearStateAsync("counter", grainId, reader);
        Assert.Equal("3", reader.ETag);
        Assert.False(reader.RecordExists);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("counter", grainId, stale));

        var afterClear = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", grainId, afterClear);
        Assert.Equal(0, afterClear.State!.Value);
        Assert.Equal("3", afterClear.ETag);
        Assert.False(afterClear.RecordExists);

        afterClear.State!.Value = 5;
        await storage.WriteStateAsync("counter", grainId, afterClear);
        Assert.Equal("4", afterClear.ETag);
    }

    [Fact]
    public async Task Concurrent_first_writes_let_exactly_one_win()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("storage_race", ct);
        await using var silo = await TestSilo.StartAsync(connectionString, "storage", ct);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(TestSilo.StorageName);

        for (var round = 0; round < 20; round++)
        {
            var grainId = GrainId.Create("counter", "race" + round);
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
            {
                try
                {
                    await storage.WriteStateAsync("counter", grainId, new GrainState<CounterState>(new CounterState { Value = i }));
                    return true;
                }
                catch (InconsistentStateException)
                {
                    return false;
                }
            }));
            Assert.Single(outcomes, won => won);
        }

        Assert.Equal(20L, await Databases.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_storage", ct));
    }

    [Fact]
    public async Task Key_kinds_and_extensions_are_isolated()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("storage_keys", ct);
        await using var silo = await TestSilo.StartAsync(connectionString, "storage", ct);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(TestSilo.StorageName);
        var guid = Guid.NewGuid();
        GrainId[] ids =
        [
            GrainId.Create(GrainType.Create("counter"), GrainIdKeyExtensions.CreateIntegerKey(5)),
            GrainId.Create(GrainType.Create("counter"), GrainIdKeyExtensions.CreateIntegerKey(5, "ext")),
            GrainId.Create(GrainType.Create("counter"), GrainIdKeyExtensions.CreateGuidKey(guid)),
            GrainId.Create(GrainType.Create("counter"), GrainIdKeyExtensions.CreateGuidKey(guid, "ext")),
            GrainId.Create("counter", "plain-string-key"),
            GrainId.Create("counter", "another-string-key"),
            GrainId.Create("counter", "统一社会信用代码-91610000"),
            GrainId.Create("counter", Guid.NewGuid().ToString("N")),
        ];

        for (var i = 0; i < ids.Length; i++)
        {
            await storage.WriteStateAsync("counter", ids[i], new GrainState<CounterState>(new CounterState { Value = i, Note = "备注" + i }));
        }

        for (var i = 0; i < ids.Length; i++)
        {
            var state = new GrainState<CounterState>(new CounterState());
            await storage.ReadStateAsync("counter", ids[i], state);
            Assert.Equal(i, state.State!.Value);
            Assert.Equal("备注" + i, state.State.Note);
        }
    }

    private static async Task<string> ReadPayloadAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = await PostgresFixture.OpenAsync(connectionString, ct);
        await using var command = new NpgsqlCommand("SELECT payload FROM orleans_storage LIMIT 1", connection);
        return Encoding.UTF8.GetString((byte[])(await command.ExecuteScalarAsync(ct))!);
    }
}
