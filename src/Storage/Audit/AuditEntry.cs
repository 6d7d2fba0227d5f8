namespace CreditGrid.Storage.Audit;

/// <summary>
/// What one audited request did: who (the <c>sub</c> claim, or <see cref="Anonymous"/>), with which roles, for which
/// organisation, about which subject, for what purpose, which action on which endpoint, when, and with what outcome.
/// </summary>
/// <remarks>
/// Text fields are stored and hashed exactly as given, so they must survive a round trip through PostgreSQL
/// <c>text</c>: build entries with <see cref="Create"/>, which bounds their length, drops NUL and control characters
/// (PostgreSQL refuses NUL in text) and replaces unpaired surrogates (not encodable as UTF-8).
/// </remarks>
/// <param name="Time">When the request was handled, UTC, truncated to microseconds (PostgreSQL's precision).</param>
/// <param name="Outcome">The HTTP status the request was answered with.</param>
/// <param name="Details">Action-specific facts in compact form, e.g. the counts of an ingested batch.</param>
public sealed record AuditEntry(
    DateTimeOffset Time,
    string Who,
    IReadOnlyList<string> Roles,
    string? Organisation,
    string? Subject,
    string? Purpose,
    string Action,
    string Method,
    string Route,
    int Outcome,
    string CorrelationId,
    string? Details)
{
    /// <summary>Recorded as the actor when the request carried no <c>sub</c> claim.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Longest stored value of a free-text field (purpose, details); identifiers are bounded tighter.</summary>
    public const int MaxTextLength = 512;

    /// <summary>Longest stored identifier (who, role, organisation, subject, correlation id, action, route).</summary>
    public const int MaxIdentifierLength = 256;

    /// <summary>Builds an entry whose every text field is safe to store and hash (see the remarks on the type).</summary>
    public static AuditEntry Create(
        DateTimeOffset time,
        string? who,
        IEnumerable<string> roles,
        string? organisation,
        string? subject,
        string? purpose,
        string action,
        string method,
        string route,
        int outcome,
        string correlationId,
        string? details = null) =>
        new(
            Truncate(time),
            AuditText.Clean(who, MaxIdentifierLength) ?? Anonymous,
            CleanRoles(roles),
            AuditText.Clean(organisation, MaxIdentifierLength),
            AuditText.Clean(subject, MaxIdentifierLength),
            AuditText.Clean(purpose, MaxTextLength),
            AuditText.Clean(action, MaxIdentifierLength) ?? "unknown",
            AuditText.Clean(method, 16) ?? "UNKNOWN",
            AuditText.Clean(route, MaxIdentifierLength) ?? "",
            outcome,
            AuditText.Clean(correlationId, MaxIdentifierLength) ?? "",
            AuditText.Clean(details, MaxTextLength));

    private static string[] CleanRoles(IEnumerable<string> roles)
    {
        // Called for every audited request; a plain loop keeps it to the one array it returns.
        if (roles is IReadOnlyList<string> list)
        {
            var cleaned = new string[list.Count];
            var count = 0;
            for (var i = 0; i < list.Count; i++)
            {
                if (AuditText.Clean(list[i], MaxIdentifierLength) is { } role)
                {
                    cleaned[count++] = role;
                }
            }

            return count == cleaned.Length ? cleaned : cleaned[..count];
        }

        return [.. roles.Select(r => AuditText.Clean(r, MaxIdentifierLength)).OfType<string>()];
    }

    private static DateTimeOffset Truncate(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }
}

/// <summary>An entry at its place in the chain: its sequence number and the hash that links it to its predecessor.</summary>
/// <param name="Sequence">1-based and dense over the whole log.</param>
/// <param name="Hash">SHA-256 of the previous record's hash followed by this record's canonical bytes (<see cref="AuditChain"/>).</param>
public sealed record AuditRecord(long Sequence, AuditEntry Entry, byte[] Hash);
