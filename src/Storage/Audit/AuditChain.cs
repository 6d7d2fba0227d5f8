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

    private static readonly byte[] s_genesisHash = new byte[HashSize];

    private static ReadOnlySpan<byte> FormatTag => "CGA1"u8;

    /// <summary>The bytes hashed for an entry at <paramref name="sequence"/>.</summary>
    public static byte[] CanonicalBytes(long sequence, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var buffer = new MemoryStream(256);
        buffer.Write(FormatTag);
        WriteInt64(buffer, sequence);
        WriteInt64(buffer, entry.Time.UtcTicks / 10);
        WriteString(buffer, entry.Who);
        WriteInt32(buffer, entry.Roles.Count);
        foreach (var role in entry.Roles)
        {
            WriteString(buffer, role);
        }

        WriteString(buffer, entry.Organisation);
        WriteString(buffer, entry.Subject);
        WriteString(buffer, entry.Purpose);
        WriteString(buffer, entry.Action);
        WriteString(buffer, entry.Method);
        WriteString(buffer, entry.Route);
        WriteInt32(buffer, entry.Outcome);
        WriteString(buffer, entry.CorrelationId);
        WriteString(buffer, entry.Details);
        return buffer.ToArray();
    }

    /// <summary>The hash of an entry at <paramref name="sequence"/> following a record whose hash is <paramref name="previousHash"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> previousHash, long sequence, AuditEntry entry)
    {
        if (previousHash.Length != HashSize)
        {
            throw new ArgumentException($"A previous hash has {HashSize} bytes; got {previousHash.Length}.", nameof(previousHash));
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previousHash);
        sha.AppendData(CanonicalBytes(sequence, entry));
        return sha.GetHashAndReset();
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

    private static void WriteInt64(Stream buffer, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        buffer.Write(bytes);
    }

    private static void WriteInt32(Stream buffer, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        buffer.Write(bytes);
    }

    private static void WriteString(Stream buffer, string? value)
    {
        if (value is null)
        {
            WriteInt32(buffer, -1);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        WriteInt32(buffer, bytes.Length);
        buffer.Write(bytes);
    }
}
