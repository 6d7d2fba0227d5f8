using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Ingest;

namespace CreditGrid.Simulator;

/// <summary>Writes a credit event in the wire format of <c>POST /api/v1/events</c>.</summary>
public static class CreditRecordWriter
{
    public static JsonObject ToJson(CreditEvent e)
    {
        var details = JsonSerializer.SerializeToNode(e.Details, CreditJson.Options)!.AsObject();
        var type = details["type"]!.GetValue<string>();
        details.Remove("type");
        var record = new JsonObject
        {
            ["recordId"] = e.RecordId,
            ["subjectId"] = e.SubjectId,
            ["sourceDepartment"] = e.SourceDepartment,
            ["type"] = type,
            ["decisionDate"] = e.DecisionDate.ToString("yyyy-MM-dd"),
        };
        Add(record, "decisionDocumentNumber", e.DecisionDocumentNumber);
        Add(record, "publicityClass", e.PublicityClass is { } p ? JsonNamingPolicy.CamelCase.ConvertName(p.ToString()) : null);
        if (e.Amount is { } amount)
        {
            record["amount"] = amount;
        }

        Add(record, "jurisdiction", e.Jurisdiction);
        Add(record, "effectiveFrom", e.EffectiveFrom?.ToString("yyyy-MM-dd"));
        Add(record, "effectiveTo", e.EffectiveTo?.ToString("yyyy-MM-dd"));
        Add(record, "legalBasis", e.LegalBasis);
        Add(record, "subjectName", e.SubjectName);
        record["details"] = details;
        return record;
    }

    /// <summary>One line of NDJSON, without the newline.</summary>
    public static string ToNdjsonLine(CreditEvent e) => ToJson(e).ToJsonString();

    private static void Add(JsonObject record, string name, string? value)
    {
        if (value is not null)
        {
            record[name] = value;
        }
    }
}
