using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CreditGrid.Grains.Serialization;

/// <summary>
/// The JSON options ASP.NET Core writes response bodies with: web defaults (camelCase) and the relaxed escaping it uses
/// for bodies (Chinese text and the '+' of offsets written as they are). A grain that renders a document the gateway
/// answers with byte for byte serialises it with these, so the bytes are what the gateway would have written.
/// </summary>
public static class ResponseJson
{
    /// <summary>The metadata of <typeparamref name="T"/> from a source-generated <paramref name="resolver"/>, under these options.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(IJsonTypeInfoResolver resolver) =>
        (JsonTypeInfo<T>)new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = resolver,
        }.GetTypeInfo(typeof(T));
}
