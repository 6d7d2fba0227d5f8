using System.Text;
using CreditGrid.Storage.Entries;
using CreditGrid.Storage.PostgreSql;
using CreditGrid.Testing;
using Npgsql;

namespace CreditGrid.PostgreSql.Tests;

/// <summary><c>grain_entries</c> (V009): grain state kept entry by entry.</summary>
public sealed class GrainEntryStoreTests(PostgresFixture postgres)
{
    private static GrainEntry Entry(string key, string json) => new(key, Encoding.UTF8.GetBytes(json));

    private static Dictionary<string, string> AsText(IReadOnlyList<GrainEntry> entries) =>
        entries.ToDictionary(e => e.Key, e => Encoding.UTF8.GetString(e.Value), StringComparer.Ordinal);

    [Fact]
    public async Task Entries_read_back_per_owner_and_a_later_write_replaces_only_what_it_carries()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedAsync("entries_roundtrip", ct));
        var store = new PostgresGrainEntryStore(dataSource);

        await store.WriteAsync("city/610100", [Entry("91610103MA6U1AAA1X", """{"score":700,"name":"西安市瑞丰科技有限公司"}"""), Entry("91610103MA6U1AAB2Y", """{"score":650}""")], ct);
        await store.WriteAsync("name-directory/610100", [Entry("91610103MA6U1AAA1X", """{"name":"other grain type, same keys"}""")], ct);
        await store.WriteAsync("city/610100", [Entry("91610103MA6U1AAB2Y", """{"score":610}""")], ct);

        var city = AsText(await store.ReadAsync("city/610100", ct));
        Assert.Equal(2, city.Count);
        Assert.Equal("""{"score":700,"name":"西安市瑞丰科技有限公司"}""", city["91610103MA6U1AAA1X"]);
        Assert.Equal("""{"score":610}""", city["91610103MA6U1AAB2Y"]);
        Assert.Equal("""{"name":"other grain type, same keys"}""", Assert.Single(AsText(await store.ReadAsync("name-directory/610100", ct))).Value);
        Assert.Empty(await store.ReadAsync("city/610200", ct));
    }

    [Fact]
    public async Task A_batch_is_written_whole_or_not_at_all()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedAsync("entries_atomic", ct));
        var store = new PostgresGrainEntryStore(dataSource);
        await store.WriteAsync("city/610100", [Entry("a", "1")], ct);

        // The same key twice makes the upsert touch one row twice, which PostgreSQL refuses for the whole statement.
        await Assert.ThrowsAsync<PostgresException>(() => store.WriteAsync("city/610100", [Entry("a", "2"), Entry("b", "3"), Entry("b", "4")], ct));

        Assert.Equal("1", Assert.Single(AsText(await store.ReadAsync("city/610100", ct))).Value);
    }

    [Fact]
    public async Task Twenty_thousand_entries_go_in_one_write()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedAsync("entries_many", ct));
        var store = new PostgresGrainEntryStore(dataSource);
        var entries = Enumerable.Range(0, 20_000).Select(i => Entry($"subject-{i:D5}", $$"""{"score":{{i % 1000}}}""")).ToArray();

        await store.WriteAsync("city/610100", entries, ct);

        var read = AsText(await store.ReadAsync("city/610100", ct));
        Assert.Equal(20_000, read.Count);
        Assert.Equal("""{"score":999}""", read["subject-19999"]);
    }
}
