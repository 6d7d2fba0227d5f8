using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// Compile-time JSON metadata of the decision document: the shape of <see cref="JsonSerializerDefaults.Web"/>, which
/// the HTTP API returns and the stored documents use.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PreCreditDecisionView))]
internal sealed partial class DecisionDocumentContext : JsonSerializerContext;

/// <summary>
/// The decision document as both the store and the bank receive it: web defaults and the relaxed escaping ASP.NET
/// Core uses for response bodies (Chinese reason texts and the '+' of offsets written as they are), so one
/// serialisation serves both.
/// </summary>
internal static class DecisionDocument
{
    // Outside the generated context's class: static initialisers of partial declarations run in no defined order,
    // and this one needs the context's Default.
    public static JsonTypeInfo<PreCreditDecisionView> TypeInfo { get; } = (JsonTypeInfo<PreCreditDecisionView>)new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = DecisionDocumentContext.Default,
    }.GetTypeInfo(typeof(PreCreditDecisionView));
}
