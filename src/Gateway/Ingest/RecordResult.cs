using System.Text.Json.Serialization;

namespace CreditGrid.Gateway.Ingest;

/// <summary>The outcome of one submitted record, in submission order.</summary>
public sealed record RecordResult(
    int Index,
    string? RecordId,
    RecordStatus Status,
    long? SubjectSequence = null,
    string? Field = null,
    string? Reason = null,
    string? Message = null);

[JsonConverter(typeof(JsonStringEnumConverter<RecordStatus>))]
public enum RecordStatus
{
    [JsonStringEnumMemberName("accepted")]
    Accepted,

    [JsonStringEnumMemberName("duplicate")]
    Duplicate,

    [JsonStringEnumMemberName("rejected")]
    Rejected,
}

/// <summary>The answer to a batch: counts, then one result per record.</summary>
public sealed record BatchResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<RecordResult> Results);
