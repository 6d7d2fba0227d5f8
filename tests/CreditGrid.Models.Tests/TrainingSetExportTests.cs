using CreditGrid.Domain.PreCredit;
using CreditGrid.Storage.PreCredit;

namespace CreditGrid.Models.Tests;

/// <summary>The CSV the admin endpoint and <c>export-training-set</c> share, built from decisions joined to outcomes.</summary>
public sealed class TrainingSetExportTests
{
    private static readonly DateTimeOffset May = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SettledLoansAreRowsWithTheirLabelAndRunningLoansAreCounted()
    {
        var repaid = Row(May, OutcomeStatuses.Repaid, """{"features":{"composite_score":712.5,"tax_rating":0.1}}""");
        var overdue = Row(May.AddDays(1), OutcomeStatuses.Overdue, """{"features":{"composite_score":600}}""");
        var defaulted = Row(May.AddDays(2), OutcomeStatuses.Defaulted, """{"features":{}}""");
        var running = Row(May.AddDays(3), OutcomeStatuses.Granted, """{"features":{"composite_score":800}}""");
        var writer = new StringWriter();

        var counts = await TrainingSetExport.WriteAsync(Rows(repaid, overdue, running, defaulted), writer, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new TrainingSetCounts(3, 1), counts);
        var blanks = new string(',', PreCreditFeatureVector.Names.Count - 2);
        Assert.Equal(
            $"decision_id,{string.Join(',', PreCreditFeatureVector.Names)},defaulted\n" +
            $"{repaid.Decision.Id},712.5,0.1{blanks},0\n" +
            $"{overdue.Decision.Id},600,{blanks},1\n" +
            $"{defaulted.Decision.Id},{blanks},,1\n",
            writer.ToString());
    }

    [Fact]
    public async Task SinceKeepsDecisionsDecidedAtOrAfterIt()
    {
        var before = Row(May.AddTicks(-1), OutcomeStatuses.Repaid, """{"features":{}}""");
        var at = Row(May, OutcomeStatuses.Granted, """{"features":{}}""");
        var after = Row(May.AddHours(1), OutcomeStatuses.Defaulted, """{"features":{}}""");
        var writer = new StringWriter();

        var counts = await TrainingSetExport.WriteAsync(Rows(before, at, after), writer, May, TestContext.Current.CancellationToken);

        Assert.Equal(new TrainingSetCounts(1, 1), counts);
        Assert.StartsWith(after.Decision.Id.ToString(), writer.ToString().Split('\n')[1], StringComparison.Ordinal);
    }

    private static DecisionWithOutcome Row(DateTimeOffset decidedAt, string status, string document)
    {
        var id = Guid.NewGuid();
        return new DecisionWithOutcome(
            new StoredDecision(id, "BANK", "ENT", decidedAt, "APPROVE_INDICATIVE", "m", document),
            new StoredOutcome(id, decidedAt.AddDays(90), status, null));
    }

    private static async IAsyncEnumerable<DecisionWithOutcome> Rows(params DecisionWithOutcome[] rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }
}
