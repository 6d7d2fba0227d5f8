using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CreditGrid.Grains.Serialization;

namespace CreditGrid.Grains.Subjects;

/// <summary>
/// A subject's <see cref="SubjectResponse"/> already serialised as UTF-8 JSON, exactly the body the read API answers
/// with. A subject is read far more often than it changes, so the grain renders it once per change and every lookup
/// writes the same bytes; immutable, so Orleans passes the array between co-hosted grain and gateway without a copy.
/// </summary>
[GenerateSerializer, Immutable, Alias("creditgrid.subject-document.v1")]
public sealed record SubjectDocument([property: Id(0)] byte[] Json)
{
    /// <summary>The document of a view, in the shape and escaping of the gateway's JSON responses.</summary>
    public static SubjectDocument Of(SubjectView view) =>
        new(JsonSerializer.SerializeToUtf8Bytes(SubjectResponse.From(view), SubjectDocumentJson.TypeInfo));
}

/// <summary>Compile-time JSON metadata of <see cref="SubjectResponse"/>: web defaults, enums as their names.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SubjectResponse))]
internal sealed partial class SubjectDocumentContext : JsonSerializerContext;

/// <summary>
/// <see cref="SubjectResponse"/> under <see cref="ResponseJson"/>'s options, so a stored document and a serialised
/// response are the same bytes; a gateway test holds the two together.
/// </summary>
public static class SubjectDocumentJson
{
    // Outside the generated context's class: static initialisers of partial declarations run in no defined order,
    // and this one needs the context's Default.
    public static JsonTypeInfo<SubjectResponse> TypeInfo { get; } = ResponseJson.TypeInfo<SubjectResponse>(SubjectDocumentContext.Default);
}
