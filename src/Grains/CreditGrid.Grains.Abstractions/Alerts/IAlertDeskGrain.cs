using CreditGrid.Domain.Scoring;
using Orleans.Concurrency;

namespace CreditGrid.Grains.Alerts;

/// <summary>
/// The monitoring desk's view of integrity warnings (诚信预警) across the province: subject grains publish every
/// warning they raise and every lifecycle change; the desk keeps the latest state per warning and a numbered feed
/// that live clients follow. Keyed by <see cref="ProvinceKey"/>.
/// </summary>
[Alias("creditgrid.IAlertDeskGrain")]
public interface IAlertDeskGrain : IGrainWithStringKey
{
    public const string ProvinceKey = "610000";

    /// <summary>A warning raised or changed; a replayed warning with an unchanged status is ignored.</summary>
    [OneWay, Alias("Publish")]
    Task PublishAsync(Alert alert);

    /// <summary>Feed entries after <paramref name="afterFeedSequence"/>, oldest first.</summary>
    [Alias("GetFeed")]
    Task<IReadOnlyList<Alert>> GetFeedAsync(long afterFeedSequence, int maxCount);

    /// <summary>The newest feed sequence number; a live client that starts now follows from here.</summary>
    [Alias("GetLastFeedSequence")]
    Task<long> GetLastFeedSequenceAsync();

    /// <summary>The latest state of warnings matching the filter, most severe and newest first.</summary>
    [Alias("Query")]
    Task<IReadOnlyList<Alert>> QueryAsync(AlertQuery query);
}

/// <summary>One warning about one subject as the desk shows it.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.alert.v1")]
public sealed record Alert(
    [property: Id(0)] string WarningId,
    [property: Id(1)] string SubjectId,
    [property: Id(2)] string? CityCode,
    [property: Id(3)] string RuleId,
    [property: Id(4)] WarningSeverity Severity,
    [property: Id(5)] WarningStatus Status,
    [property: Id(6)] string Reason,
    [property: Id(7)] DateTimeOffset RaisedAt,
    [property: Id(8)] DateTimeOffset? StatusChangedAt,
    [property: Id(9)] string? RecordId,
    [property: Id(10)] long FeedSequence = 0);

[GenerateSerializer, Immutable, Alias("creditgrid.alert-query.v1")]
public sealed record AlertQuery(
    [property: Id(0)] WarningStatus? Status = null,
    [property: Id(1)] WarningSeverity? MinimumSeverity = null,
    [property: Id(2)] string? CityCode = null,
    [property: Id(3)] string? SubjectId = null,
    [property: Id(4)] int Limit = 100);
