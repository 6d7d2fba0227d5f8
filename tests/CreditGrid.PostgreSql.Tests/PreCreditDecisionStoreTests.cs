using CreditGrid.Storage.PreCredit;
using CreditGrid.Testing;
using Npgsql;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>The pre-credit decision audit in PostgreSQL (V007).</summary>
public sealed class PreCreditDecisionStoreTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Concurrent_decisions_are_durable_when_saved_and_fetched_by_id()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("precredit_save", ct);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var decisions = Enumerable.Range(0, 300).Select(i => Decision(i)).ToArray();

        await using (var store = new PostgresPreCreditDecisionStore(dataSource))
        {
            // Many callers at once: the group-commit writer batches them, and each call returns only after its commit.
            await Task.WhenAll(decisions.Select(d => Task.Run(() => store.SaveAsync(d, ct), ct)));

            // Counted on a separate connection pool, so nothing can still sit in the writer's queue.
            Assert.Equal(300L, await Databases.ScalarAsync<long>(connectionString, "SELECT count(*) FROM precredit_decisions", ct));
        }

        await using var reopened = new PostgresPreCreditDecisionStore(dataSource);
        var fetched = await reopened.GetAsync(decisions[123].Id, ct);
        Assert.NotNull(fetched);
        Assert.Equal(decisions[123].Bank, fetched.Bank);
        Assert.Equal(decisions[123].Outcome, fetched.Outcome);
        Assert.Equal(decisions[123].ModelVersion, fetched.ModelVersion);
        Assert.Equal(decisions[123].DecidedAt, fetched.DecidedAt);
        Assert.Contains("\"pd\": 0.0123", fetched.Document, StringComparison.Ordinal);
        Assert.Null(await reopened.GetAsync(Guid.NewGuid(), ct));
    }

    [Fact]
    public async Task Outcomes_registrations_figures_and_export()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedAsync("precredit_outcomes", ct));
        await using var store = new PostgresPreCreditDecisionStore(dataSource);
        var (a, b, c) = (Decision(1), Decision(2), Decision(3));
        foreach (var d in new[] { a, b, c })
        {
            await store.SaveAsync(d, ct);
        }

        var at = DateTimeOffset.Parse("2026-06-01T08:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await store.AddOutcomeAsync(new StoredOutcome(a.Id, at, OutcomeStatuses.Granted, 200_000m), ct));
        Assert.True(await store.AddOutcomeAsync(new StoredOutcome(b.Id, at, OutcomeStatuses.Granted, 50_000.5m), ct));
        Assert.True(await store.AddOutcomeAsync(new StoredOutcome(a.Id, at.AddMonths(6), OutcomeStatuses.Defaulted, null), ct));
        Assert.False(await store.AddOutcomeAsync(new StoredOutcome(Guid.NewGuid(), at, OutcomeStatuses.Repaid, null), ct));
        await store.RegisterEnterpriseAsync("E1", at, ct);
        await store.RegisterEnterpriseAsync("E1", at, ct);
        await store.RegisterEnterpriseAsync("E2", at, ct);

        Assert.Equal(new PlatformFigures(2, 2, 250_000.5m), await store.GetFiguresAsync(ct));
        Assert.Equal([OutcomeStatuses.Granted, OutcomeStatuses.Defaulted], (await store.GetOutcomesAsync(a.Id, ct)).Select(o => o.Status));

        var exported = new List<DecisionWithOutcome>();
        await foreach (var row in store.ExportAsync(ct))
        {
            exported.Add(row);
        }

        // Decision c has no outcome and is left out; each other decision comes with its latest report.
        Assert.Equal([(a.Id, OutcomeStatuses.Defaulted), (b.Id, OutcomeStatuses.Granted)], exported.Select(e => (e.Decision.Id, e.Outcome.Status)));
        Assert.Equal(50_000.5m, exported[1].Outcome.Amount);
    }

    private static StoredDecision Decision(int i) => new(
        Guid.NewGuid(),
        "91610000BANK" + i,
        "91610113ENT" + i,
        DateTimeOffset.Parse("2026-05-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).AddMinutes(i),
        i % 3 == 0 ? "REJECT" : "APPROVE_INDICATIVE",
        "precredit-default-1234abcd",
        "{\"id\":\"x\",\"pd\":0.0123,\"features\":{\"composite_score\":" + (700 + i) + "}}");
}
