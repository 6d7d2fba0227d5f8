using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CreditGrid.Domain.Identifiers;

/// <summary>
/// Random GUIDs (RFC 9562 versions 4 and 7) cut from a per-thread buffer of cryptographically secure bytes.
/// <see cref="Guid.NewGuid"/> asks the operating system for 16 bytes on every call, a system call each on Linux; with
/// two ids per request (the correlation id, the decision id) that was a measurable share of a decision's CPU. The
/// buffer is refilled from the same source, <see cref="BufferBytes"/> at a time, and no byte is handed out twice.
/// </summary>
public static class RandomGuids
{
    /// <summary>Bytes drawn from the operating system at a time: 32 GUIDs.</summary>
    public const int BufferBytes = 512;

    private const int GuidBytes = 16;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static int t_next;

    /// <summary>A random (version 4) GUID, as <see cref="Guid.NewGuid"/> gives.</summary>
    public static Guid NewVersion4()
    {
        Span<byte> bytes = stackalloc byte[GuidBytes];
        Take(bytes);
        return Stamp(bytes, version: 4);
    }

    /// <summary>
    /// A time-ordered (version 7) GUID for <paramref name="at"/>, as <see cref="Guid.CreateVersion7(DateTimeOffset)"/>
    /// gives: the Unix time in milliseconds in the first 48 bits, then the version, then random bits.
    /// </summary>
    public static Guid NewVersion7(DateTimeOffset at)
    {
        var milliseconds = at.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(at));
        Span<byte> bytes = stackalloc byte[GuidBytes];
        Take(bytes);
        Span<byte> time = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(time, milliseconds);
        time[2..].CopyTo(bytes);
        return Stamp(bytes, version: 7);
    }

    // Version in the high nibble of byte 6, the RFC variant (10xx) in the high bits of byte 8, both in the byte order
    // the RFC writes (big-endian), which is the order of the GUID's text form.
    private static Guid Stamp(Span<byte> bytes, int version)
    {
        bytes[6] = (byte)((bytes[6] & 0x0F) | (version << 4));
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    // The next 16 unused bytes of the thread's buffer, refilled whole when every byte of it has been handed out (the
    // buffer holds a whole number of GUIDs).
    private static void Take(Span<byte> destination)
    {
        var buffer = t_buffer ??= new byte[BufferBytes];
        if (t_next == 0)
        {
            RandomNumberGenerator.Fill(buffer);
        }

        buffer.AsSpan(t_next, GuidBytes).CopyTo(destination);
        t_next = (t_next + GuidBytes) % BufferBytes;
    }
}
