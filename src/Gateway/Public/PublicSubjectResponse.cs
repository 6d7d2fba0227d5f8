using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Domain.Disclosure;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Ingest;

namespace CreditGrid.Gateway.Public;

/// <summary>The answer of <c>GET /api/v1/public/subjects?q=</c>: how the query was read, and the subjects found.</summary>
/// <param name="MatchedBy"><c>code</c> for a USCC, <c>name</c> for a name fragment.</param>
public sealed record PublicLookupResponse(string Query, string MatchedBy, IReadOnlyList<PublicSubjectResponse> Subjects);

/// <summary>What the public sees of one subject: identity, public records in their publicity period, current lists.</summary>
public sealed record PublicSubjectResponse(
    string Uscc,
    string? Name,
    SubjectType SubjectType,
    string? DivisionCode,
    string? CityCode,
    string? CityName,
    IReadOnlyList<PublicRecordResponse> Records,
    IReadOnlyList<ListMembership> Lists);

/// <summary>One public record; every free-text member, inside the details too, has personal data masked.</summary>
public sealed record PublicRecordResponse(
    string RecordId,
    string Type,
    DateOnly DecisionDate,
    string? DecisionDocumentNumber,
    string SourceDepartment,
    PublicityClass PublicityClass,
    DateOnly PublicUntil,
    decimal? Amount,
    string? Jurisdiction,
    string? LegalBasis,
    JsonNode? Details)
{
    public static PublicRecordResponse From(PublicRecord r) => new(
        r.Event.RecordId,
        EventTypes.Of(r.Event.Details),
        r.Event.DecisionDate,
        PersonalDataMasker.MaskText(r.Event.DecisionDocumentNumber),
        r.Event.SourceDepartment,
        r.PublicityClass,
        r.PublicUntil,
        r.Event.Amount,
        r.Event.Jurisdiction,
        PersonalDataMasker.MaskText(r.Event.LegalBasis),
        Masked(JsonSerializer.SerializeToNode(r.Event.Details, CreditJson.Options)));

    private static JsonNode? Masked(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    o[name] = Masked(value?.DeepClone());
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    a[i] = Masked(a[i]?.DeepClone());
                }

                return a;
            case JsonValue v when v.TryGetValue<string>(out var text):
                return JsonValue.Create(PersonalDataMasker.MaskText(text));
            default:
                return node;
        }
    }
}
