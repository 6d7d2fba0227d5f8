using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CreditGrid.Testing;

namespace CreditGrid.Gateway.Tests;

/// <summary>
/// Runs alone: the grid's instruments are process-wide, so ingests of parallel collections would show up in this
/// gateway's counters too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection : ICollectionFixture<GatewayFactory>
{
    public const string Name = "gateway-metrics";
}

/// <summary><c>/metrics</c> exposes the grid's meter in Prometheus form, counting what an ingest did.</summary>
[Collection(MetricsCollection.Name)]
public sealed partial class MetricsTests(GatewayFactory factory)
{
    private const string Accepted = "creditgrid_ingest_events_accepted_total";
    private const string FoldCount = "creditgrid_subject_fold_duration_seconds_count";
    private readonly HttpClient _client = factory.CreateClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IngestIsCountedAndItsFoldsTimed()
    {
        var before = await ScrapeAsync();
        var enterprise = Records.NewEnterprise();
        var other = Records.NewEnterprise();
        var batch = Records.SeveralKinds(enterprise);
        batch.Add(Records.Licence(other));
        var broken = Records.Licence(other);
        broken["decisionDate"] = "1949-09-30";
        batch.Add(broken);

        var answer = await _client.SubmitAsync(batch);
        Assert.Equal((6, 1), (answer.Accepted, answer.Rejected));
        await _client.EnterpriseEventuallyAsync(enterprise, v => v.LastAppliedSequence == 5);
        await _client.EnterpriseEventuallyAsync(other, v => v.LastAppliedSequence == 1);

        var after = await Eventually.Until(ScrapeAsync, m => Value(m, FoldCount) - Value(before, FoldCount) >= 6);
        Assert.Equal(6, Value(after, Accepted) - Value(before, Accepted));
        Assert.Equal(1, Value(after, "creditgrid_ingest_events_rejected_total", "reason=\"date_before_1949\"") - Value(before, "creditgrid_ingest_events_rejected_total", "reason=\"date_before_1949\""));
        Assert.True(Value(after, FoldCount) - Value(before, FoldCount) >= 6, "Every accepted record is folded once at least.");
        Assert.Contains("creditgrid_subject_fold_duration_seconds_bucket{", after);
        Assert.True(Value(after, "creditgrid_subject_fold_duration_seconds_sum") > Value(before, "creditgrid_subject_fold_duration_seconds_sum"));
    }

    [Fact]
    public async Task ResubmissionCountsDuplicatesNotAcceptances()
    {
        var enterprise = Records.NewEnterprise();
        var batch = new JsonArray(Records.Licence(enterprise));
        Assert.Equal(1, (await _client.SubmitAsync(batch.DeepClone())).Accepted);
        var before = await ScrapeAsync();

        Assert.Equal(1, (await _client.SubmitAsync(batch)).Duplicates);

        var after = await ScrapeAsync();
        Assert.Equal(0, Value(after, Accepted) - Value(before, Accepted));
        Assert.Equal(1, Value(after, "creditgrid_ingest_events_duplicate_total", "reason=\"already_recorded\"") - Value(before, "creditgrid_ingest_events_duplicate_total", "reason=\"already_recorded\""));

        // Leave nothing in flight: a fold landing during the next test would move the gauges that test counts.
        await _client.EnterpriseEventuallyAsync(enterprise, v => v.LastAppliedSequence == 1);
    }

    [Fact]
    public async Task GradeDistributionCountsActiveSubjects()
    {
        var enterprise = Records.NewEnterprise();
        var before = GradeTotal(await ScrapeAsync());

        await _client.SubmitAsync(new JsonArray(Records.Licence(enterprise)));
        await _client.EnterpriseEventuallyAsync(enterprise, v => v.LastAppliedSequence == 1);

        var after = await Eventually.Until(async () => GradeTotal(await ScrapeAsync()), total => total > before);
        Assert.Equal(before + 1, after);
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await _client.GetAsync("/metrics", Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Cancellation);
    }

    private static double GradeTotal(string metrics) =>
        SampleLine().Matches(metrics).Where(m => m.Groups["name"].Value == "creditgrid_subjects_active").Sum(m => Parse(m.Groups["value"].Value));

    /// <summary>Sum of the samples of <paramref name="name"/> whose labels contain <paramref name="label"/>; 0 when absent.</summary>
    private static double Value(string metrics, string name, string? label = null) =>
        SampleLine().Matches(metrics)
            .Where(m => m.Groups["name"].Value == name && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            .Sum(m => Parse(m.Groups["value"].Value));

    private static double Parse(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
