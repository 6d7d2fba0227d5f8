using System.Globalization;
using System.Text.RegularExpressions;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Storage.Audit;

namespace CreditGrid.Gateway.Audit;

/// <summary>Turns the query string of <c>GET /api/v1/audit</c> into an <see cref="AuditQuery"/>, or names the bad field.</summary>
public static partial class AuditQueryParser
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <returns>The query, or the first offending field with a reason code and a message.</returns>
    public static (AuditQuery? Query, AuditFilterError? Error) Parse(
        string? who, string? role, string? subject, string? action, string? from, string? to, string? after, string? limit)
    {
        if (who is not null && !IsIdentifier(who))
        {
            return Fail("who", "invalid_value", $"who must be 1–{AuditEntry.MaxIdentifierLength} characters without control characters.");
        }

        if (role is not null && !IsIdentifier(role))
        {
            return Fail("role", "invalid_value", $"role must be 1–{AuditEntry.MaxIdentifierLength} characters without control characters.");
        }

        string? normalisedSubject = null;
        if (subject is not null)
        {
            var check = Uscc.Validate(subject);
            if (!check.IsValid)
            {
                return Fail("subject", check.Failure!.Value.Code(), check.Message);
            }

            normalisedSubject = check.Normalised;
        }

        if (action is not null && !ActionName().IsMatch(action))
        {
            return Fail("action", "invalid_value", $"action is a dotted lower-case name such as credit.read; got '{action}'.");
        }

        if (!TryTime(from, out var fromTime))
        {
            return Fail("from", "invalid_date", $"from must be an ISO 8601 date or time, e.g. 2026-03-01 or 2026-03-01T08:00:00+08:00; got '{from}'.");
        }

        if (!TryTime(to, out var toTime))
        {
            return Fail("to", "invalid_date", $"to must be an ISO 8601 date or time, e.g. 2026-03-02 or 2026-03-01T18:00:00+08:00; got '{to}'.");
        }

        if (fromTime is not null && toTime is not null && toTime <= fromTime)
        {
            return Fail("to", "invalid_range", "to must be later than from.");
        }

        long afterSequence = 0;
        if (after is not null && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out afterSequence)))
        {
            return Fail("after", "invalid_value", $"after must be a sequence number (0 or more); got '{after}'.");
        }

        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            return Fail("limit", "invalid_value", $"limit must be between 1 and {MaxLimit}; got '{limit}'.");
        }

        return (new AuditQuery(who, role, normalisedSubject, action, fromTime, toTime, afterSequence, count), null);
    }

    private static bool IsIdentifier(string value) =>
        value.Length is > 0 and <= AuditEntry.MaxIdentifierLength && !value.Any(char.IsControl) && value.Trim() == value;

    /// <summary>A date alone means its midnight in UTC+8, the province's (and China's) only time zone.</summary>
    private static bool TryTime(string? value, out DateTimeOffset? time)
    {
        time = null;
        if (value is null)
        {
            return true;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            time = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
            return true;
        }

        // An explicit offset is required: a bare local time would depend on the server's zone.
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && HasOffset(value))
        {
            time = parsed;
            return true;
        }

        return false;
    }

    private static bool HasOffset(string value) => OffsetSuffix().IsMatch(value);

    private static (AuditQuery?, AuditFilterError?) Fail(string field, string reason, string message) => (null, new AuditFilterError(field, reason, message));

    [GeneratedRegex(@"^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$")]
    private static partial Regex ActionName();

    [GeneratedRegex(@"T.*(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetSuffix();
}

/// <summary>A refused audit filter: the query-string field, a stable reason code, and a message for people.</summary>
public sealed record AuditFilterError(string Field, string Reason, string Message);
