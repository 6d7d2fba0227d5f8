using System.Security.Cryptography;
using CreditGrid.Storage.Audit;

namespace CreditGrid.Gateway.Tests.Audit;

/// <summary>The hash chain: how records are linked, and what verification finds when one is changed or removed.</summary>
public sealed class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 30, 0, TimeSpan.Zero);

    internal static AuditEntry Entry(int n, string who = "alice") =>
        new(T0.AddSeconds(n), who, ["bank"], "91610000MA6TGC1X2A", $"subject-{n}", "loan review", "credit.read", "GET", "/api/v1/enterprises/{uscc}", 200, $"corr-{n}", null);

    private static IReadOnlyList<AuditRecord> Chain(int count) =>
        AuditChain.Link(0, AuditChain.GenesisHash, [.. Enumerable.Range(1, count).Select(n => Entry(n))]);

    [Fact]
    public void EachHashIsSha256OfThePreviousHashAndTheCanonicalBytes()
    {
        var records = Chain(3);

        var previous = new byte[32];
        foreach (var record in records)
        {
            var expected = SHA256.HashData(previous.Concat(AuditChain.CanonicalBytes(record.Sequence, record.Entry)).ToArray());
            Assert.Equal(expected, record.Hash);
            previous = record.Hash;
        }

        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Sequence));
    }

    [Fact]
    public void LinkingContinuesAfterTheLastRecord()
    {
        var whole = Chain(4);
        var head = AuditChain.Link(0, AuditChain.GenesisHash, [Entry(1), Entry(2)]);
        var tail = AuditChain.Link(head[^1].Sequence, head[^1].Hash, [Entry(3), Entry(4)]);

        Assert.Equal(whole.Select(r => (r.Sequence, Convert.ToHexString(r.Hash))), head.Concat(tail).Select(r => (r.Sequence, Convert.ToHexString(r.Hash))));
    }

    public static TheoryData<string> Changes => ["time", "who", "roles", "role order", "organisation", "subject", "purpose", "action", "method", "route", "outcome", "correlation", "details", "sequence"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void ChangingAnyFieldChangesTheHash(string field)
    {
        var entry = Entry(1) with { Roles = ["bank", "reader"] };
        var sequence = 7L;
        var changed = field switch
        {
            "time" => entry with { Time = entry.Time.AddTicks(10) },
            "who" => entry with { Who = "mallory" },
            "roles" => entry with { Roles = ["bank"] },
            "role order" => entry with { Roles = ["reader", "bank"] },
            "organisation" => entry with { Organisation = null },
            "subject" => entry with { Subject = "subject-2" },
            "purpose" => entry with { Purpose = "" },
            "action" => entry with { Action = "credit.explain" },
            "method" => entry with { Method = "POST" },
            "route" => entry with { Route = "/api/v1/government-bodies/{uscc}" },
            "outcome" => entry with { Outcome = 404 },
            "correlation" => entry with { CorrelationId = "corr-2" },
            "details" => entry with { Details = "{}" },
            _ => entry,
        };
        var changedSequence = field == "sequence" ? sequence + 1 : sequence;

        Assert.NotEqual(AuditChain.Hash(AuditChain.GenesisHash, sequence, entry), AuditChain.Hash(AuditChain.GenesisHash, changedSequence, changed));
    }

    [Fact]
    public void FieldBoundariesAndNullAreUnambiguous()
    {
        var a = Entry(1) with { Who = "ab", Organisation = "c" };
        var b = Entry(1) with { Who = "a", Organisation = "bc" };
        var withNull = Entry(1) with { Purpose = null };
        var withEmpty = Entry(1) with { Purpose = "" };

        Assert.NotEqual(AuditChain.CanonicalBytes(1, a), AuditChain.CanonicalBytes(1, b));
        Assert.NotEqual(AuditChain.CanonicalBytes(1, withNull), AuditChain.CanonicalBytes(1, withEmpty));
        Assert.Equal(AuditChain.CanonicalBytes(1, Entry(1)), AuditChain.CanonicalBytes(1, Entry(1) with { Roles = new List<string> { "bank" } }));
    }

    [Fact]
    public void AnIntactChainVerifiesUpToItsLastRecord()
    {
        var records = Chain(5);
        var verifier = new AuditChainVerifier();

        Assert.All(records, r => Assert.True(verifier.Accept(r.Sequence, r.Entry, r.Hash)));

        Assert.Equal(new AuditVerification(true, 5, 5, Convert.ToHexStringLower(records[^1].Hash), null, null), verifier.Result());
        Assert.Equal(new AuditVerification(true, 0, 0, null, null, null), new AuditChainVerifier().Result());
    }

    [Fact]
    public void AnEditedRecordBreaksTheChainAtItsOwnSequence()
    {
        var records = Chain(5).ToList();
        records[2] = records[2] with { Entry = records[2].Entry with { Outcome = 403 } };

        var result = Verify(records);

        Assert.Equal((false, 3L, AuditVerification.HashMismatch, 2L), (result.Intact, result.FirstBrokenSequence, result.Reason, result.LastSequence));
    }

    [Fact]
    public void AnEditedRecordWithARecomputedHashBreaksTheChainAtTheNextSequence()
    {
        var records = Chain(5).ToList();
        var forged = records[2].Entry with { Who = "nobody" };
        records[2] = records[2] with { Entry = forged, Hash = AuditChain.Hash(records[1].Hash, 3, forged) };

        var result = Verify(records);

        Assert.Equal((false, 4L, AuditVerification.HashMismatch), (result.Intact, result.FirstBrokenSequence, result.Reason));
    }

    [Fact]
    public void ARemovedRecordIsASequenceGapAtTheMissingSequence()
    {
        var records = Chain(5).ToList();
        records.RemoveAt(1);

        var result = Verify(records);

        Assert.Equal((false, 2L, AuditVerification.SequenceGap, 1L), (result.Intact, result.FirstBrokenSequence, result.Reason, result.RecordsChecked));
    }

    [Fact]
    public void SwappedRecordsBreakTheChain()
    {
        var records = Chain(4).ToList();
        (records[1], records[2]) = (records[2] with { Sequence = 2 }, records[1] with { Sequence = 3 });

        Assert.Equal(2L, Verify(records).FirstBrokenSequence);
    }

    private static AuditVerification Verify(IEnumerable<AuditRecord> records)
    {
        var verifier = new AuditChainVerifier();
        foreach (var record in records)
        {
            if (!verifier.Accept(record.Sequence, record.Entry, record.Hash))
            {
                break;
            }
        }

        return verifier.Result();
    }
}
