using System.Text;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Persistence;
using CreditGrid.Grains.Subjects;
using CreditGrid.Storage.Entries;

namespace CreditGrid.Grains.Tests.Persistence;

/// <summary>A grain's per-subject entries are written behind: only what changed, again after a failure.</summary>
public sealed class PersistedEntriesTests
{
    private static SubjectSummary Summary(string id, int score) => new(id, SubjectType.Enterprise, SupervisionTier.General, score, false);

    [Fact]
    public async Task AWriteCarriesOnlyTheEntriesChangedSinceThePreviousOne()
    {
        var store = new RecordingStore();
        var entries = new PersistedEntries<SubjectSummary>(store, "city", "610100");
        entries.Set("a", Summary("a", 700));
        entries.Set("b", Summary("b", 650));
        entries.Set("a", Summary("a", 710));
        await entries.WriteChangesAsync(TestContext.Current.CancellationToken);
        entries.Set("b", Summary("b", 600));
        await entries.WriteChangesAsync(TestContext.Current.CancellationToken);
        await entries.WriteChangesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, store.Writes.Count);
        Assert.Equal(["a", "b"], store.Writes[0].Select(e => e.Key).Order());
        Assert.Equal("b", Assert.Single(store.Writes[1]).Key);
        Assert.False(entries.HasChanges);
    }

    [Fact]
    public async Task EntriesReadBackAsTheyWereSet()
    {
        var store = new InMemoryGrainEntryStore();
        var written = new PersistedEntries<SubjectSummary>(store, "city", "610100");
        var next = DateTimeOffset.Parse("2026-12-01T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        written.Set("a", Summary("a", 700) with { SeriouslyDishonest = true, NextChange = next });
        written.Set("b", Summary("b", 650));
        await written.WriteChangesAsync(TestContext.Current.CancellationToken);

        var read = new PersistedEntries<SubjectSummary>(store, "city", "610100");
        await read.LoadAsync(TestContext.Current.CancellationToken);

        Assert.Equal(written.Entries.OrderBy(e => e.Key), read.Entries.OrderBy(e => e.Key));
        Assert.False(read.HasChanges);
        var stored = Assert.Single(await store.ReadAsync("city/610100", TestContext.Current.CancellationToken), e => e.Key == "b");
        Assert.Contains("\"tier\":\"General\"", Encoding.UTF8.GetString(stored.Value), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedWriteLeavesItsEntriesForTheNextOne()
    {
        var store = new RecordingStore { FailNext = true };
        var entries = new PersistedEntries<SubjectSummary>(store, "city", "610100");
        entries.Set("a", Summary("a", 700));

        await Assert.ThrowsAsync<IOException>(() => entries.WriteChangesAsync(TestContext.Current.CancellationToken));
        entries.Set("b", Summary("b", 650));
        await entries.WriteChangesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["a", "b"], Assert.Single(store.Writes).Select(e => e.Key).Order());
    }

    private sealed class RecordingStore : IGrainEntryStore
    {
        public List<IReadOnlyList<GrainEntry>> Writes { get; } = [];

        public bool FailNext { get; set; }

        public Task<IReadOnlyList<GrainEntry>> ReadAsync(string owner, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<GrainEntry>>([]);

        public Task WriteAsync(string owner, IReadOnlyList<GrainEntry> entries, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("storage unavailable");
            }

            Writes.Add([.. entries]);
            return Task.CompletedTask;
        }
    }
}
