using System.Text.Json;
using CreditGrid.Gateway.Ingest;

namespace CreditGrid.Gateway.Audit;

/// <summary>Details of audit records, as compact JSON: facts of the action that the other fields do not carry.</summary>
public static class AuditDetails
{
    /// <summary>An ingested batch: how many records were accepted, duplicates and rejected.</summary>
    public static string? IngestCounts(HttpContext http, object? value) =>
        value is BatchResult batch
            ? JsonSerializer.Serialize(new { records = batch.Results.Count, accepted = batch.Accepted, duplicates = batch.Duplicates, rejected = batch.Rejected })
            : null;

    /// <summary>A warning lifecycle action: which warning and what was done to it.</summary>
    public static string? WarningAction(HttpContext http, object? value) =>
        JsonSerializer.Serialize(new { warning = http.GetRouteValue("warning") as string, action = http.GetRouteValue("action") as string });
}
