using System.Buffers;

namespace CreditGrid.Gateway.Infrastructure;

/// <summary>A request body in a buffer rented from the shared pool; disposing it returns the buffer.</summary>
public sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    internal PooledBody(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length { get; private set; }

    /// <summary>The bytes read; valid until the body is disposed.</summary>
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => Memory.Span;

    internal int Capacity => Buffer.Length;

    internal Memory<byte> FreeSpace => Buffer.AsMemory(Length);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PooledBody));

    internal void Advance(int count) => Length += count;

    internal void Grow(int capacity)
    {
        var larger = ArrayPool<byte>.Shared.Rent(capacity);
        Buffer.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(Buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
