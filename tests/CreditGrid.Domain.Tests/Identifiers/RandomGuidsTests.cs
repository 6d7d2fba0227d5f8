using CreditGrid.Domain.Identifiers;

namespace CreditGrid.Domain.Tests.Identifiers;

public class RandomGuidsTests
{
    [Fact]
    public void VersionFourIdsCarryTheVersionAndVariantAndNeverRepeat()
    {
        // Several buffers' worth, so refills are crossed many times.
        var ids = Enumerable.Range(0, 100 * RandomGuids.BufferBytes).Select(_ => RandomGuids.NewVersion4()).ToList();

        Assert.All(ids, id => Assert.Equal(4, id.Version));
        Assert.All(ids, id => Assert.Equal(0b10, id.Variant >> 2));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void VersionSevenIdsLayOutTheTimeAsTheRuntimeDoes()
    {
        var at = new DateTimeOffset(2026, 11, 29, 1, 2, 3, 456, TimeSpan.FromHours(8));

        var ours = RandomGuids.NewVersion7(at);
        var runtime = Guid.CreateVersion7(at);

        Assert.Equal(7, ours.Version);
        Assert.Equal(0b10, ours.Variant >> 2);
        // The first 48 bits (12 hex digits and a dash) are the milliseconds; the runtime's id has the same.
        Assert.Equal(runtime.ToString()[..13], ours.ToString()[..13]);
        Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(ours.ToString("N")[..12], 16));
        Assert.NotEqual(ours, RandomGuids.NewVersion7(at));
    }

    [Fact]
    public void VersionSevenIdsSortByTheirTime()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var times = Enumerable.Range(0, 1_000).Select(i => start.AddMilliseconds(i * 7)).ToList();

        var ids = times.Select(RandomGuids.NewVersion7).ToList();

        Assert.Equal(ids, ids.OrderBy(id => id.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    public void ATimeBeforeTheUnixEpochIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomGuids.NewVersion7(new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void EachThreadDrawsItsOwnBytes()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                ids.Add(RandomGuids.NewVersion4());
            }
        });

        Assert.Equal(40_000, ids.Distinct().Count());
    }
}
