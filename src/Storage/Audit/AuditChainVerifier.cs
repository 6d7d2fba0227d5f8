namespace CreditGrid.Storage.Audit;

/// <summary>
/// Walks stored records in sequence order and stops at the first that does not continue the chain: a missing or
/// repeated sequence number, or a hash that does not match the record's content and its predecessor's hash.
/// </summary>
/// <remarks>
/// A record altered in place breaks at its own sequence. A record altered together with a recomputed hash breaks at
/// the next sequence, whose stored hash was computed over the original. Only rewriting every later record as well
/// goes unnoticed, which is why the last hash (<see cref="AuditVerification.LastHash"/>) is worth copying elsewhere.
/// </remarks>
public sealed class AuditChainVerifier
{
    private byte[] _previousHash = AuditChain.GenesisHash.ToArray();
    private long _lastSequence;
    private long _checked;

    /// <summary>Set once a record failed; later records are not looked at.</summary>
    public AuditVerification? Failure { get; private set; }

    /// <summary>Checks the next stored record; false once the chain is broken.</summary>
    public bool Accept(long sequence, AuditEntry entry, ReadOnlySpan<byte> storedHash)
    {
        if (Failure is not null)
        {
            return false;
        }

        var expected = _lastSequence + 1;
        if (sequence != expected)
        {
            // A gap means removed records; the first missing sequence is where the chain breaks.
            Failure = Broken(Math.Min(sequence, expected), AuditVerification.SequenceGap);
            return false;
        }

        var hash = AuditChain.Hash(_previousHash, sequence, entry);
        if (!storedHash.SequenceEqual(hash))
        {
            Failure = Broken(sequence, AuditVerification.HashMismatch);
            return false;
        }

        _previousHash = hash;
        _lastSequence = sequence;
        _checked++;
        return true;
    }

    /// <summary>The outcome after the last record has been offered.</summary>
    public AuditVerification Result() =>
        Failure ?? new AuditVerification(true, _checked, _lastSequence, _checked == 0 ? null : Convert.ToHexStringLower(_previousHash), null, null);

    private AuditVerification Broken(long sequence, string reason) =>
        new(false, _checked, _lastSequence, _checked == 0 ? null : Convert.ToHexStringLower(_previousHash), sequence, reason);
}

/// <summary>The result of walking the chain.</summary>
/// <param name="Intact">True when every record continues the chain.</param>
/// <param name="RecordsChecked">Records verified before the end or the break.</param>
/// <param name="LastSequence">The last sequence verified as intact (0 for none).</param>
/// <param name="LastHash">The hash of that record, lower-case hex; null when none was verified.</param>
/// <param name="FirstBrokenSequence">Where the chain breaks; null when intact.</param>
/// <param name="Reason"><see cref="SequenceGap"/> or <see cref="HashMismatch"/>; null when intact.</param>
public sealed record AuditVerification(bool Intact, long RecordsChecked, long LastSequence, string? LastHash, long? FirstBrokenSequence, string? Reason)
{
    public const string SequenceGap = "sequence_gap";
    public const string HashMismatch = "hash_mismatch";
}
