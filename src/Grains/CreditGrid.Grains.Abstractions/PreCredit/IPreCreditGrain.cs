using System.Text.Json.Serialization;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// The pre-credit desk (秦信融 联合预授信): decisions for banks, their audit, outcomes and figures. A stateless
/// worker: every silo runs as many activations as the load needs, each scoring with the silo's pooled model.
/// </summary>
[Alias("creditgrid.IPreCreditGrain")]
public interface IPreCreditGrain : IGrainWithIntegerKey
{
    /// <summary>Decides one request (DOMAIN §9) and stores it before answering.</summary>
    [Alias("Decide")]
    Task<PreCreditAnswer> DecideAsync(PreCreditRequest request);

    /// <summary>A stored decision, or null.</summary>
    [Alias("GetDecision")]
    Task<PreCreditDecisionView?> GetDecisionAsync(Guid id);

    /// <summary>Records a bank's report on the loan that followed a decision; false when the decision is unknown.</summary>
    [Alias("ReportOutcome")]
    Task<bool> ReportOutcomeAsync(Guid id, LoanOutcomeReport report);

    /// <summary>Platform figures beside the 2023 targets.</summary>
    [Alias("GetFigures")]
    Task<PreCreditFigures> GetFiguresAsync();

    /// <summary>Live feature drift of this silo's decisions against the model's training distribution.</summary>
    [Alias("GetDrift")]
    Task<DriftReport> GetDriftAsync();

    /// <summary>Decisions joined to their latest outcome as a training CSV (features, label defaulted).</summary>
    [Alias("ExportTrainingSet")]
    Task<string> ExportTrainingSetAsync();
}

/// <summary>A bank's request.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.precredit-request.v1")]
public sealed record PreCreditRequest(
    [property: Id(0)] string Bank,
    [property: Id(1)] string Enterprise,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string Purpose);

/// <summary>Either a decision or why none was made.</summary>
/// <param name="Decision">The decision.</param>
/// <param name="Refusal">Why no decision was made.</param>
/// <param name="Json">
/// The decision as the JSON document that was stored (UTF-8, the HTTP API's shape and escaping), so the gateway answers
/// with the same bytes instead of serialising the decision a second time; null from a desk that does not send it.
/// </param>
[GenerateSerializer, Immutable, Alias("creditgrid.precredit-answer.v1")]
public sealed record PreCreditAnswer(
    [property: Id(0)] PreCreditDecisionView? Decision,
    [property: Id(1)] PreCreditRefusal? Refusal,
    [property: Id(2)] byte[]? Json = null);

/// <summary>Why no decision was made.</summary>
public enum PreCreditRefusal
{
    /// <summary>The enterprise has not authorised the bank, or the authorisation expired or was revoked.</summary>
    NoAuthorisation,

    /// <summary>The grid holds no record of the enterprise.</summary>
    UnknownEnterprise,

    /// <summary>No model could be loaded.</summary>
    ModelUnavailable,
}

/// <summary>
/// The decision as the bank receives it and as the audit stores it. The model's numbers are written in single precision
/// (<see cref="SinglePrecisionNumberConverter"/>); the desk writes the document by hand in the same shape
/// (<c>DecisionDocument</c>), and a test holds the two to the same bytes.
/// </summary>
[GenerateSerializer, Immutable, Alias("creditgrid.precredit-decision.v1")]
public sealed record PreCreditDecisionView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Bank,
    [property: Id(2)] string Enterprise,
    [property: Id(3)] decimal RequestedAmount,
    [property: Id(4)] string Purpose,
    [property: Id(5)] string Decision,
    [property: Id(6)] IReadOnlyList<ReasonCode> Reasons,
    [property: Id(7)] decimal Limit,
    [property: Id(8)] RateBandView? RateBand,
    [property: Id(9), JsonConverter(typeof(SinglePrecisionNumberConverter))] double Pd,
    [property: Id(10)] IReadOnlyList<FactorView> TopReasons,
    [property: Id(11)] IReadOnlyList<FactorView> PositiveFactors,
    [property: Id(12)] string ModelVersion,
    [property: Id(13)] string PolicyVersion,
    [property: Id(14)] string ScoringRulesVersion,
    [property: Id(15)] ShadowScore? Challenger,
    [property: Id(16), JsonConverter(typeof(SinglePrecisionInputsConverter))] IReadOnlyDictionary<string, double> Features,
    [property: Id(17)] DateTimeOffset DataAsOf,
    [property: Id(18)] DateTimeOffset DecidedAt,
    [property: Id(19)] DateTimeOffset ExpiresAt);

/// <summary>A hard-rule or referral reason: stable code and text.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.precredit-reason.v1")]
public sealed record ReasonCode([property: Id(0)] string Code, [property: Id(1)] string Message);

/// <summary>Indicative price: LPR plus a spread range.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.precredit-rate-band.v1")]
public sealed record RateBandView([property: Id(0)] int Band, [property: Id(1)] string Basis, [property: Id(2)] int MinSpreadBp, [property: Id(3)] int MaxSpreadBp);

/// <summary>A feature's push on the PD for this decision (ML.NET feature contribution, in the model's margin).</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.precredit-factor.v1")]
public sealed record FactorView(
    [property: Id(0)] string Feature,
    [property: Id(1), JsonConverter(typeof(SinglePrecisionNumberConverter))] double Value,
    [property: Id(2), JsonConverter(typeof(SinglePrecisionNumberConverter))] double Contribution);

/// <summary>The challenger's output, recorded but not used.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.precredit-shadow.v1")]
public sealed record ShadowScore(
    [property: Id(0)] string ModelVersion,
    [property: Id(1), JsonConverter(typeof(SinglePrecisionNumberConverter))] double Pd,
    [property: Id(2)] string Decision);

/// <summary>A bank's report on the loan.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.loan-outcome.v1")]
public sealed record LoanOutcomeReport([property: Id(0)] string Status, [property: Id(1)] decimal? Amount, [property: Id(2)] DateTimeOffset ReportedAt);

/// <summary>Platform figures beside the targets of the 2023 plan.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.precredit-figures.v1")]
public sealed record PreCreditFigures(
    [property: Id(0)] long RegisteredEnterprises,
    [property: Id(1)] long LoansGranted,
    [property: Id(2)] decimal AmountGranted,
    [property: Id(3)] long TargetEnterprises,
    [property: Id(4)] decimal TargetAmount);

/// <summary>Population stability of each feature against the training distribution.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.precredit-drift.v1")]
public sealed record DriftReport(
    [property: Id(0)] string ModelVersion,
    [property: Id(1)] long Decisions,
    [property: Id(2)] IReadOnlyList<FeatureDrift> Features);

/// <summary>PSI of one feature; by convention below 0.1 stable, 0.1–0.25 watch, above 0.25 shifted.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.precredit-feature-drift.v1")]
public sealed record FeatureDrift([property: Id(0)] string Feature, [property: Id(1)] double Psi);
