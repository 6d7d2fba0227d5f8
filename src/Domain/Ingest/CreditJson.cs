using System.Collections.Frozen;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Ingest;

/// <summary>
/// The one JSON contract for credit data: the ingest API, the credit-event log and the query API all use
/// <see cref="Options"/>, so a record serialized anywhere reads back the same everywhere.
/// </summary>
public static class CreditJson
{
    /// <summary>
    /// camelCase members and enum values (enum names are also read case-insensitively, so <c>"fine"</c> and
    /// <c>"Fine"</c> both work, while numeric enum values are refused); constructor parameters without a
    /// default are required and non-nullable members reject <c>null</c>, so a missing field is an error rather
    /// than a silent default. A member given twice is an error. The <c>type</c> discriminator of <see cref="EventDetails"/> may appear anywhere in
    /// the object, because stores such as PostgreSQL <c>jsonb</c> do not keep member order (the credit-event log kept its
    /// payloads as <c>jsonb</c> before schema version 10). Read-only.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// Every discriminator registered on <see cref="EventDetails"/> with <see cref="JsonDerivedTypeAttribute"/>,
    /// mapped to its details type. Read from the attributes, so a kind added there is accepted here too.
    /// </summary>
    public static FrozenDictionary<string, Type> EventDetailTypes { get; } = typeof(EventDetails)
        .GetCustomAttributes<JsonDerivedTypeAttribute>(inherit: false)
        .Where(a => a.TypeDiscriminator is string)
        .ToFrozenDictionary(a => (string)a.TypeDiscriminator!, a => a.DerivedType, StringComparer.Ordinal);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            AllowOutOfOrderMetadataProperties = true,
            AllowDuplicateProperties = false,
            NumberHandling = JsonNumberHandling.Strict,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),

            // Chinese text as UTF-8 rather than \uXXXX escapes: half the bytes for names, legal bases and document numbers
            // in every log payload, and nothing to unescape when a silo reads them back. Characters that are
            // unsafe in HTML (<, >, &, quotes) are still escaped.
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        };
        options.MakeReadOnly();
        return options;
    }
}
