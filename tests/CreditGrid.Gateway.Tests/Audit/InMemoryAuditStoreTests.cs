using CreditGrid.Storage.Audit;

namespace CreditGrid.Gateway.Tests.Audit;

/// <summary>
/// The in-memory store keeps records only as packed canonical bytes: what comes back from a query must be exactly
/// what was appended, across segment boundaries, for every shape of field (null, empty, non-ASCII, several roles).
/// </summary>
public sealed class InMemoryAuditStoreTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Records_read_back_exactly_as_appended_across_many_segments()
    {
        var store = new InMemoryAuditStore();
        var appended = new List<AuditRecord>();
        // About 30,000 records of 300+ bytes: more than two 4 MiB segments.
        for (var batch = 0; batch < 30; batch++)
        {
            appended.AddRange(await store.AppendAsync([.. Enumerable.Range(batch * 1_000, 1_000).Select(Entry)], Cancellation));
        }

        Assert.Equal(30_000, store.Count);
        var all = new List<AuditRecord>();
        for (long after = 0; after < 30_000; after += 5_000)
        {
            all.AddRange(await store.QueryAsync(new AuditQuery(After: after, Limit: 5_000), Cancellation));
        }

        Assert.Equal(appended.Count, all.Count);
        for (var i = 0; i < appended.Count; i++)
        {
            AssertSame(appended[i], all[i]);
        }

        var verification = await store.VerifyAsync(Cancellation);
        Assert.True(verification.Intact);
    }

    [Fact]
    public async Task Inline_appends_chain_exactly_as_batched_appends_do()
    {
        using var batched = new InMemoryAuditStore();
        using var inline = new InMemoryAuditStore();
        var entries = Enumerable.Range(0, 2_500).Select(Entry).ToList();
        await batched.AppendAsync(entries[..1_000], Cancellation);
        await batched.AppendAsync(entries[1_000..], Cancellation);

        foreach (var entry in entries)
        {
            inline.Append(entry);
        }

        var expected = await batched.QueryAsync(new AuditQuery(Limit: 5_000), Cancellation);
        var actual = await inline.QueryAsync(new AuditQuery(Limit: 5_000), Cancellation);
        Assert.Equal(2_500, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            AssertSame(expected[i], actual[i]);
        }

        Assert.True((await inline.VerifyAsync(Cancellation)).Intact);
    }

    [Fact]
    public async Task Filters_apply_to_the_decoded_records()
    {
        var store = new InMemoryAuditStore();
        await store.AppendAsync([.. Enumerable.Range(0, 500).Select(Entry)], Cancellation);

        var bySubject = await store.QueryAsync(new AuditQuery(Subject: "91610100MA6TG0X07A", Limit: 1_000), Cancellation);
        var byRole = await store.QueryAsync(new AuditQuery(Role: "bank", Limit: 1_000), Cancellation);

        Assert.Equal(50, bySubject.Count);
        Assert.All(bySubject, r => Assert.Equal("91610100MA6TG0X07A", r.Entry.Subject));
        Assert.Equal(250, byRole.Count);
        Assert.All(byRole, r => Assert.Contains("bank", r.Entry.Roles));
    }

    [Fact]
    public void Canonical_bytes_decode_to_the_entry_they_encode()
    {
        var entry = Entry(7);
        var bytes = AuditChain.CanonicalBytes(42, entry);

        var (sequence, decoded) = AuditChain.ReadCanonical(bytes);

        Assert.Equal(42, sequence);
        AssertSame(new AuditRecord(42, entry, []), new AuditRecord(42, decoded, []));
        Assert.Throws<FormatException>(() => AuditChain.ReadCanonical(bytes.AsSpan(1)));
    }

    private static AuditEntry Entry(int n) => new(
        new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero).AddTicks(n * 10L),
        n % 3 == 0 ? AuditEntry.Anonymous : $"caller-{n % 17}",
        n % 2 == 0 ? ["supervisor", "bank"] : [],
        n % 4 == 0 ? null : "91610000MA6TG00001",
        n % 10 == 0 ? "91610100MA6TG0X07A" : $"subject-{n}",
        n % 5 == 0 ? null : n % 5 == 1 ? "" : "贷前审查 pre-credit review",
        "credit.read",
        "GET",
        "/api/v1/enterprises/{uscc}",
        n % 7 == 0 ? 404 : 200,
        $"corr-{n:x8}",
        n % 2 == 0 ? null : $"details {n} ✓");

    private static void AssertSame(AuditRecord expected, AuditRecord actual)
    {
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.Hash, actual.Hash);
        var (e, a) = (expected.Entry, actual.Entry);
        Assert.Equal(e.Time, a.Time);
        Assert.Equal(e.Who, a.Who);
        Assert.Equal(e.Roles, a.Roles);
        Assert.Equal(e.Organisation, a.Organisation);
        Assert.Equal(e.Subject, a.Subject);
        Assert.Equal(e.Purpose, a.Purpose);
        Assert.Equal(e.Action, a.Action);
        Assert.Equal(e.Method, a.Method);
        Assert.Equal(e.Route, a.Route);
        Assert.Equal(e.Outcome, a.Outcome);
        Assert.Equal(e.CorrelationId, a.CorrelationId);
        Assert.Equal(e.Details, a.Details);
    }
}
