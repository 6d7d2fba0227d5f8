using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CreditGrid.Storage.Audit;

/// <summary>
/// The hash chain of the audit log: <c>hash(n) = SHA-256(hash(n-1) ‖ canonical(n))</c>, with 32 zero bytes before
/// the first record. Changing, removing or reordering any stored record changes a hash that later records depend on.
/// </summary>
/// <remarks>
/// Canonical bytes, version 1, all integers big-endian:
/// <code>
/// "CGA1"  sequence:int64  time:int64 (microseconds since 0001-01-01 UTC)
/// who  roles:int32 count, then each role  organisation  subject  purpose  action  method  route
/// outcome:int32  correlation id  details
/// </code>
/// Every string is an int32 byte length followed by its UTF-8 bytes; null is length -1, so null and empty differ,
/// and the length prefixes keep field boundaries unambiguous ("ab","c" never hashes like "a","bc"). Roles are hashed
/// in their recorded order. The format is fixed: a change would need a new version tag and a verifier for both.
/// </remarks>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first record.</summary>
    public static ReadOnlySpan<byte> GenesisHash => s_genesisHash;

    public const int HashSize = 32;

    /// <summary>Entries up to this size (previous hash included) are hashed from the stack.</summary>
    private const int StackLimit = 1024;

    private static readonly byte[] s_genesisHash = new byte[HashSize];

    private static ReadOnlySpan<byte> FormatTag => "CGA1"u8;

    /// <summary>The bytes hashed for an entry at <paramref name="sequence"/>.</summary>
    public static byte[] CanonicalBytes(long sequence, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var bytes = new byte[CanonicalLength(entry)];
        WriteCanonical(bytes, sequence, entry);
        return bytes;
    }

    /// <summary>The hash of an entry at <paramref name="sequence"/> following a record whose hash is <paramref name="previousHash"/>.</summary>
    /// <remarks>
    /// One buffer holds the previous hash and the canonical bytes, hashed in one call: the writer hashes every record
    /// on the gateway's cores, so this avoids a stream, an incremental hash object and an array per record.
    /// </remarks>
    public static byte[] Hash(ReadOnlySpan<byte> previousHash, long sequence, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (previousHash.Length != HashSize)
        {
            throw new ArgumentException($"A previous hash has {HashSize} bytes; got {previousHash.Length}.", nameof(previousHash));
        }

        var length = HashSize + CanonicalLength(entry);
        var rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            var buffer = (rented ?? stackalloc byte[StackLimit])[..length];
            previousHash.CopyTo(buffer);
            WriteCanonical(buffer[HashSize..], sequence, entry);
            var hash = new byte[HashSize];
            SHA256.HashData(buffer, hash);
            return hash;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Places <paramref name="entries"/> after the record (<paramref name="lastSequence"/>, <paramref name="lastHash"/>);
    /// pass 0 and <see cref="GenesisHash"/> for an empty log.
    /// </summary>
    public static IReadOnlyList<AuditRecord> Link(long lastSequence, ReadOnlySpan<byte> lastHash, IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var records = new AuditRecord[entries.Count];
        var previous = lastHash.ToArray();
        for (var i = 0; i < entries.Count; i++)
        {
            var sequence = lastSequence + 1 + i;
            previous = Hash(previous, sequence, entries[i]);
            records[i] = new AuditRecord(sequence, entries[i], previous);
        }

        return records;
    }

    /// <summary>Length of an entry's canonical bytes.</summary>
    public static int CanonicalLength(AuditEntry entry)
    {
        var length = FormatTag.Length + 8 + 8 + 4 + 4;
        length += Length(entry.Who);
        // Index loops: a foreach over the IReadOnlyList boxed an enumerator for every record hashed or stored.
        for (var i = 0; i < entry.Roles.Count; i++)
        {
            length += Length(entry.Roles[i]);
        }

        length += Length(entry.Organisation) + Length(entry.Subject) + Length(entry.Purpose) + Length(entry.Action)
            + Length(entry.Method) + Length(entry.Route) + Length(entry.CorrelationId) + Length(entry.Details);
        return length;
    }

    private static int Length(string? value) => 4 + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));

    /// <summary>Writes an entry's canonical bytes; <paramref name="buffer"/> must be exactly <see cref="CanonicalLength"/> long.</summary>
    public static void WriteCanonical(Span<byte> buffer, long sequence, AuditEntry entry)
    {
        var at = 0;
        FormatTag.CopyTo(buffer);
        at += FormatTag.Length;
        BinaryPrimitives.WriteInt64BigEndian(buffer[at..], sequence);
        at += 8;
        BinaryPrimitives.WriteInt64BigEndian(buffer[at..], entry.Time.UtcTicks / 10);
        at += 8;
        at += WriteString(buffer[at..], entry.Who);
        BinaryPrimitives.WriteInt32BigEndian(buffer[at..], entry.Roles.Count);
        at += 4;
        for (var i = 0; i < entry.Roles.Count; i++)
        {
            at += WriteString(buffer[at..], entry.Roles[i]);
        }

        at += WriteString(buffer[at..], entry.Organisation);
        at += WriteString(buffer[at..], entry.Subject);
        at += WriteString(buffer[at..], entry.Purpose);
        at += WriteString(buffer[at..], entry.Action);
        at += WriteString(buffer[at..], entry.Method);
        at += WriteString(buffer[at..], entry.Route);
        BinaryPrimitives.WriteInt32BigEndian(buffer[at..], entry.Outcome);
        at += 4;
        at += WriteString(buffer[at..], entry.CorrelationId);
        at += WriteString(buffer[at..], entry.Details);
        if (at != buffer.Length)
        {
            throw new InvalidOperationException($"Canonical audit bytes came to {at} bytes, {buffer.Length} expected.");
        }
    }

    /// <summary>
    /// The sequence and entry that <see cref="WriteCanonical"/> wrote: the in-memory store keeps records only in this
    /// form. Fields are taken as written (they were cleaned when the entry was created).
    /// </summary>
    public static (long Sequence, AuditEntry Entry) ReadCanonical(ReadOnlySpan<byte> canonical)
    {
        if (!canonical.StartsWith(FormatTag))
        {
            throw new FormatException("Not canonical audit bytes of version 1.");
        }

        var at = FormatTag.Length;
        var sequence = BinaryPrimitives.ReadInt64BigEndian(canonical[at..]);
        at += 8;
        var time = new DateTimeOffset(BinaryPrimitives.ReadInt64BigEndian(canonical[at..]) * 10, TimeSpan.Zero);
        at += 8;
        var who = ReadString(canonical, ref at);
        var roles = new string[BinaryPrimitives.ReadInt32BigEndian(canonical[at..])];
        at += 4;
        for (var i = 0; i < roles.Length; i++)
        {
            roles[i] = ReadString(canonical, ref at)!;
        }

        var organisation = ReadString(canonical, ref at);
        var subject = ReadString(canonical, ref at);
        var purpose = ReadString(canonical, ref at);
        var action = ReadString(canonical, ref at);
        var method = ReadString(canonical, ref at);
        var route = ReadString(canonical, ref at);
        var outcome = BinaryPrimitives.ReadInt32BigEndian(canonical[at..]);
        at += 4;
        var correlationId = ReadString(canonical, ref at);
        var details = ReadString(canonical, ref at);
        if (at != canonical.Length)
        {
            throw new FormatException($"Canonical audit bytes end at {at}, {canonical.Length} given.");
        }

        return (sequence, new AuditEntry(time, who!, roles, organisation, subject, purpose, action!, method!, route!, outcome, correlationId!, details));
    }

    private static string? ReadString(ReadOnlySpan<byte> buffer, ref int at)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(buffer[at..]);
        at += 4;
        if (length < 0)
        {
            return null;
        }

        var value = Encoding.UTF8.GetString(buffer.Slice(at, length));
        at += length;
        return value;
    }

    /// <returns>Bytes written.</returns>
    private static int WriteString(Span<byte> buffer, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer, -1);
            return 4;
        }

        var written = Encoding.UTF8.GetBytes(value, buffer[4..]);
        BinaryPrimitives.WriteInt32BigEndian(buffer, written);
        return 4 + written;
    }
}
