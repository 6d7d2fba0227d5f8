using CreditGrid.Storage.InMemory;

namespace CreditGrid.Gateway.Tests.Audit;

/// <summary>The native segments under the single-process audit and decision stores.</summary>
public sealed class PackedSegmentsTests
{
    [Fact]
    public void BytesReadBackAcrossSegmentsAndAnItemLargerThanASegmentGetsItsOwn()
    {
        using var segments = new PackedSegments();
        var small = Enumerable.Range(0, 3_000).Select(i => Fill(1_500 + (i % 7), (byte)i)).ToArray();
        var large = Fill(PackedSegments.SegmentBytes + 10, 0xAB);
        var locations = new List<(long Location, byte[] Bytes)>();
        foreach (var item in small.Take(1_500).Append(large).Concat(small.Skip(1_500)))
        {
            item.CopyTo(segments.Reserve(item.Length, out var location));
            locations.Add((location, item));
        }

        var snapshot = segments.Snapshot();

        Assert.True(snapshot.Length >= 3, "3,000 items of 1.5 KB and one of 4 MB span at least three segments");
        Assert.All(locations, item => Assert.True(PackedSegments.Read(snapshot, item.Location, item.Bytes.Length).SequenceEqual(item.Bytes)));
    }

    [Fact]
    public void AReadAfterDisposalThrowsInsteadOfTouchingFreedMemory()
    {
        var segments = new PackedSegments();
        segments.Reserve(16, out var location).Fill(7);
        var snapshot = segments.Snapshot();

        segments.Dispose();

        Assert.Throws<ObjectDisposedException>(() => PackedSegments.Read(snapshot, location, 16).Length);
    }

    private static byte[] Fill(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
