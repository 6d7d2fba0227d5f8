namespace CreditGrid.Storage.InMemory;

/// <summary>
/// Append-only bytes packed into large segments that hold no references. The single-process stores keep everything
/// for the life of the process; kept as objects (or as one string each), those were promoted through every garbage
/// collector generation and the collections that copied them dominated tail latency. Not thread-safe: a store
/// serialises its appends.
/// </summary>
public sealed class PackedSegments
{
    /// <summary>Size of one segment; a larger item gets a segment of its own.</summary>
    public const int SegmentBytes = 4 << 20;

    private readonly List<byte[]> _segments = [];
    private int _used = SegmentBytes;

    /// <summary>
    /// Space for <paramref name="length"/> bytes, to be written before the next call, and where it is
    /// (<see cref="Read(IReadOnlyList{byte[]}, long, int)"/>).
    /// </summary>
    public Span<byte> Reserve(int length, out long location)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (_used + length > SegmentBytes)
        {
            _segments.Add(GC.AllocateUninitializedArray<byte>(Math.Max(SegmentBytes, length)));
            _used = 0;
        }

        location = ((long)(_segments.Count - 1) << 32) | (uint)_used;
        var space = _segments[^1].AsSpan(_used, length);
        _used += length;
        return space;
    }

    /// <summary>The bytes at <paramref name="location"/>; valid until the next <see cref="Reserve"/>.</summary>
    public ReadOnlySpan<byte> Read(long location, int length) => Read(_segments, location, length);

    /// <summary>
    /// The segments written so far. Bytes reserved before the call never move or change, so a reader can use the
    /// snapshot without the store's lock while appends go on.
    /// </summary>
    public byte[][] Snapshot() => [.. _segments];

    public static ReadOnlySpan<byte> Read(IReadOnlyList<byte[]> segments, long location, int length) =>
        segments[(int)(location >> 32)].AsSpan((int)(uint)location, length);
}
