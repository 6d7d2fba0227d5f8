using System.Runtime.InteropServices;

namespace CreditGrid.Storage.InMemory;

/// <summary>
/// Append-only bytes packed into large segments outside the garbage-collected heap. The single-process stores keep
/// everything for the life of the process; kept as objects (or as one string each), those were promoted through every
/// collector generation and the collections that copied them dominated tail latency. Kept as large managed arrays,
/// they no longer moved, but every 4 MB segment was a large-object allocation, and at thousands of pre-credit
/// decisions a second those set off a full background collection every few seconds: without the documents retained a
/// decision cost 97 µs of gateway CPU instead of 114 (bench/README.md). Native segments cost the collector nothing.
/// Not thread-safe: a store serialises its appends. Disposing frees the memory; the host disposes the singleton stores
/// when it stops, and a store that is never disposed keeps its bytes until the process ends, as it keeps its data.
/// </summary>
public sealed class PackedSegments : IDisposable
{
    /// <summary>Size of one segment; a larger item gets a segment of its own.</summary>
    public const int SegmentBytes = 4 << 20;

    private readonly List<NativeSegment> _segments = [];
    private int _used = SegmentBytes;

    /// <summary>
    /// Space for <paramref name="length"/> bytes, to be written before the next call, and where it is
    /// (<see cref="Read(IReadOnlyList{NativeSegment}, long, int)"/>).
    /// </summary>
    public Span<byte> Reserve(int length, out long location)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (_used + length > SegmentBytes)
        {
            _segments.Add(new NativeSegment(Math.Max(SegmentBytes, length)));
            _used = 0;
        }

        location = ((long)(_segments.Count - 1) << 32) | (uint)_used;
        var space = _segments[^1].Span.Slice(_used, length);
        _used += length;
        return space;
    }

    /// <summary>The bytes at <paramref name="location"/>; valid until the next <see cref="Reserve"/>.</summary>
    public ReadOnlySpan<byte> Read(long location, int length) => Read(_segments, location, length);

    /// <summary>
    /// The segments written so far. Bytes reserved before the call never move or change, so a reader can use the
    /// snapshot without the store's lock while appends go on.
    /// </summary>
    public NativeSegment[] Snapshot() => [.. _segments];

    public static ReadOnlySpan<byte> Read(IReadOnlyList<NativeSegment> segments, long location, int length) =>
        segments[(int)(location >> 32)].Span.Slice((int)(uint)location, length);

    public void Dispose()
    {
        foreach (var segment in _segments)
        {
            segment.Free();
        }

        _segments.Clear();
    }
}

/// <summary>
/// One block of native memory. No finalizer: a span handed out could otherwise outlive a segment the collector
/// found unreachable. Reading after <see cref="PackedSegments.Dispose"/> throws instead of touching freed memory.
/// </summary>
public sealed unsafe class NativeSegment
{
    private byte* _start;

    internal NativeSegment(int length)
    {
        _start = (byte*)NativeMemory.Alloc((nuint)length);
        Length = length;
    }

    public int Length { get; }

    public Span<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_start is null, this);
            return new Span<byte>(_start, Length);
        }
    }

    internal void Free()
    {
        NativeMemory.Free(_start);
        _start = null;
    }
}
