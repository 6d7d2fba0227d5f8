using System.Text.Json.Serialization;

namespace CreditGrid.Domain.Events;

/// <summary>
/// The common envelope of every credit record (DOMAIN §3.1): who it is about, who provided it, when it was
/// decided, and the kind-specific <see cref="Details"/>. Immutable once accepted into the credit-event log.
/// </summary>
public sealed record CreditEvent
{
    /// <summary>The providing department's own record id; (SourceDepartment, RecordId) is the idempotency key.</summary>
    public required string RecordId { get; init; }

    /// <summary>USCC of the subject (信用主体), normalised to upper case.</summary>
    [JsonConverter(typeof(RepeatedTextConverter))]
    public required string SubjectId { get; init; }

    public required SubjectType SubjectType { get; init; }

    /// <summary>The subject's registered name (主体名称) as the provider knows it, trimmed; null when not sent.</summary>
    [JsonConverter(typeof(RepeatedTextConverter))]
    public string? SubjectName { get; init; }

    /// <summary>USCC of the providing department (数据提供部门).</summary>
    [JsonConverter(typeof(RepeatedTextConverter))]
    public required string SourceDepartment { get; init; }

    /// <summary>文书号 of the administrative or judicial decision, when there is one.</summary>
    public string? DecisionDocumentNumber { get; init; }

    /// <summary>认定/决定日期: publicity periods and decay always start here.</summary>
    public required DateOnly DecisionDate { get; init; }

    public DateOnly? EffectiveFrom { get; init; }

    public DateOnly? EffectiveTo { get; init; }

    /// <summary>Publicity class as the provider classified it; null when the provider omitted it.</summary>
    public PublicityClass? PublicityClass { get; init; }

    /// <summary>Fine, arrears or loan amount in yuan, when the kind has one.</summary>
    public decimal? Amount { get; init; }

    [JsonConverter(typeof(RepeatedTextConverter))]
    public string? LegalBasis { get; init; }

    /// <summary>GB/T 2260 code of the deciding authority's jurisdiction.</summary>
    [JsonConverter(typeof(RepeatedTextConverter))]
    public string? Jurisdiction { get; init; }

    public Provenance Provenance { get; init; } = Provenance.Api;

    public DateTimeOffset ReceivedAt { get; init; }

    public required EventDetails Details { get; init; }
}

/// <summary>A credit event as the log holds it: the envelope plus its place in the subject's history.</summary>
/// <param name="SubjectSequence">1-based, dense per subject; the fold applies each exactly once, in order.</param>
/// <param name="Event">The accepted record.</param>
public sealed record LoggedCreditEvent(long SubjectSequence, CreditEvent Event);

public enum SubjectType
{
    Enterprise,
    IndividualBusiness,
    SocialOrganisation,
    GovernmentBody,
    Other,
}

/// <summary>轻微 / 一般 / 严重 under the national repair measures; NotApplicable for non-penalty kinds.</summary>
public enum PublicityClass
{
    NotApplicable,
    Minor,
    General,
    Serious,
}

public enum Provenance
{
    Api,
    Platform,
    SelfDeclared,
    Import,
}
