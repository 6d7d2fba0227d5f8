using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Models;
using CreditGrid.Storage.PreCredit;
using CreditGrid.Testing;
using Npgsql;

namespace CreditGrid.PostgreSql.Tests;

/// <summary><c>creditgrid-models export-training-set</c> against the decision store in PostgreSQL, then <c>train</c> on its output.</summary>
public sealed class ExportTrainingSetCommandTests(PostgresFixture postgres) : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(8));
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cg-export-");

    [Fact]
    public async Task SettledDecisionsBecomeATrainingSetThatTrains()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("precredit_export", ct);
        var labels = new Dictionary<Guid, char>();
        var decidedAt = new Dictionary<Guid, DateTimeOffset>();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        await using (var store = new PostgresPreCreditDecisionStore(dataSource))
        {
            // 60 decisions: every fourth defaults, one in ten is still running, the last three were never reported on.
            for (var i = 0; i < 60; i++)
            {
                var decision = Decision(i);
                await store.SaveAsync(decision, ct);
                decidedAt[decision.Id] = decision.DecidedAt;
                if (i >= 57)
                {
                    continue;
                }

                await store.AddOutcomeAsync(new StoredOutcome(decision.Id, decision.DecidedAt.AddDays(3), OutcomeStatuses.Granted, 100_000m), ct);
                if (i % 10 == 9)
                {
                    continue;
                }

                var status = i % 4 == 0 ? (i % 8 == 0 ? OutcomeStatuses.Defaulted : OutcomeStatuses.Overdue) : OutcomeStatuses.Repaid;
                await store.AddOutcomeAsync(new StoredOutcome(decision.Id, decision.DecidedAt.AddDays(200), status, null), ct);
                labels[decision.Id] = status == OutcomeStatuses.Repaid ? '0' : '1';
            }
        }

        var csv = Path.Combine(_folder.FullName, "next.csv");
        var export = Run(["export-training-set", "--connection", connectionString, "--out", csv]);

        Assert.Equal(0, export.ExitCode);
        Assert.Contains($"wrote {labels.Count} rows", export.Output, StringComparison.Ordinal);
        Assert.Contains("left out 5 decisions", export.Output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(csv, ct);
        Assert.Equal(string.Join(',', ["decision_id", .. PreCreditFeatureVector.Names, "defaulted"]), lines[0]);
        Assert.Equal(labels.Count, lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            Assert.Equal(PreCreditFeatureVector.Names.Count + 2, cells.Length);
            Assert.Equal(labels[Guid.Parse(cells[0])], cells[^1][0]);
        }

        var model = Run([
            "train", "--data", csv, "--label", "defaulted", "--id", "decision_id", "--out", Path.Combine(_folder.FullName, "model"),
            "--folds", "2", "--preset", "baseline", "--trees", "10", "--min-leaf", "2", "--leaves", "4"]);
        Assert.True(model.ExitCode == 0, model.Error);
        Assert.Contains($"next.csv: {labels.Count} rows, {labels.Values.Count(l => l == '1')} positives", model.Output, StringComparison.Ordinal);
        Assert.Contains($"{PreCreditFeatureVector.Names.Count} features ({PreCreditFeatureVector.Names.Count} numeric", model.Output, StringComparison.Ordinal);

        // Decisions are an hour apart from 09:00 on 1 March (China Standard Time); a bare date is midnight there.
        var since = Run(["export-training-set", "--connection", connectionString, "--out", csv, "--since", "2026-03-02"]);
        Assert.Equal(0, since.ExitCode);
        var secondDay = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));
        var expected = labels.Keys.Where(id => decidedAt[id] >= secondDay).ToHashSet();
        Assert.InRange(expected.Count, 1, labels.Count - 1);
        Assert.Equal(expected, (await File.ReadAllLinesAsync(csv, ct)).Skip(1).Select(l => Guid.Parse(l.Split(',')[0])).ToHashSet());
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static StoredDecision Decision(int i)
    {
        var id = Guid.NewGuid();
        var at = Start.AddHours(i);

        // A risky profile (low score, late bills) for the rows that will default, so the trees have something to find.
        var risky = i % 4 == 0;
        var features = PreCreditFeatureVector.Names.Select((name, k) => (name, value: (risky ? 1.0 : 0.0) + (0.37 * k) + (0.001 * i)))
            .ToDictionary(p => p.name, p => p.value);
        features["composite_score"] = risky ? 610 + i : 780 + i;
        var document = JsonSerializer.Serialize(new { id, bank = "91610000BANK00001X", features });
        return new StoredDecision(id, "91610000BANK00001X", "91610113ENT" + i.ToString("D7", CultureInfo.InvariantCulture), at, "APPROVE_INDICATIVE", "precredit-default-test", document);
    }

    private static (int ExitCode, string Output, string Error) Run(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = ModelsCommandLine.Build(_ => null).Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
