using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Ingest;

/// <summary>The outcome of parsing one submitted record: exactly one of the two is set.</summary>
/// <param name="Event">The accepted event, ready to be appended to the subject's log.</param>
/// <param name="Rejection">Why the record was refused; the first problem found, in field order.</param>
public sealed record RecordParseResult(CreditEvent? Event, RecordRejection? Rejection)
{
    public bool IsAccepted => Event is not null;

    internal static RecordParseResult Accepted(CreditEvent accepted) => new(accepted, null);

    internal static RecordParseResult Rejected(string field, string reason, string message) =>
        new(null, new RecordRejection(field, reason, message));
}

/// <summary>A refused record, in terms a data provider can act on.</summary>
/// <param name="Field">
/// Path of the offending member: <c>$</c> for the record itself, a top-level name such as <c>subjectId</c>,
/// or a path inside the details such as <c>details.penaltyTypes[0]</c>.
/// </param>
/// <param name="Reason">A stable code from <see cref="RejectionReasons"/>, or a USCC failure code such as <c>WRONG_CHECK</c>.</param>
/// <param name="Message">Human-readable English explanation.</param>
public sealed record RecordRejection(string Field, string Reason, string Message);

/// <summary>
/// Stable reason codes of <see cref="RecordRejection.Reason"/>. Codes for <c>subjectId</c> and
/// <c>sourceDepartment</c> are the USCC failure codes of <see cref="Identifiers.UsccFailureCodes"/> instead.
/// </summary>
public static class RejectionReasons
{
    /// <summary>The record is not a JSON object.</summary>
    public const string NotAnObject = "not_an_object";

    /// <summary>A required member is missing, null or empty.</summary>
    public const string Required = "required";

    /// <summary>A member has the wrong JSON type, or an amount that is not a finite decimal.</summary>
    public const string InvalidType = "invalid_type";

    /// <summary>A string is longer than its limit.</summary>
    public const string TooLong = "too_long";

    /// <summary><c>type</c> is not a registered event kind.</summary>
    public const string UnknownEventType = "unknown_event_type";

    /// <summary>A date is not an ISO 8601 calendar date (<c>yyyy-MM-dd</c>).</summary>
    public const string InvalidDate = "invalid_date";

    /// <summary>The decision date precedes 1949-10-01.</summary>
    public const string DateBefore1949 = "date_before_1949";

    /// <summary>The decision date has not yet begun in China Standard Time, allowing for clock tolerance.</summary>
    public const string DateInFuture = "date_in_future";

    /// <summary>A string is not one of the permitted values.</summary>
    public const string InvalidValue = "invalid_value";

    /// <summary>The amount is below zero.</summary>
    public const string NegativeAmount = "negative_amount";

    /// <summary>The jurisdiction is not a known Shaanxi division code.</summary>
    public const string UnknownDivision = "unknown_division";

    /// <summary><c>effectiveTo</c> precedes <c>effectiveFrom</c>.</summary>
    public const string InvalidRange = "invalid_range";

    /// <summary>The details do not match the shape of the event kind.</summary>
    public const string InvalidDetails = "invalid_details";
}
