using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CreditGrid.Grains.Serialization;

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
public static class DecisionDocument
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    // One buffer and writer per thread: a document is written without an await, so a thread never shares them.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    // Outside the generated context's class: static initialisers of partial declarations run in no defined order,
    // and this one needs the context's Default.
    public static JsonTypeInfo<PreCreditDecisionView> TypeInfo { get; } = ResponseJson.TypeInfo<PreCreditDecisionView>(DecisionDocumentContext.Default);

    /// <summary>The document of <paramref name="view"/> as UTF-8, exactly what <see cref="JsonSerializer.SerializeToUtf8Bytes{TValue}(TValue, JsonTypeInfo{TValue})"/> with <see cref="TypeInfo"/> gives.</summary>
    public static byte[] Serialize(PreCreditDecisionView view)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(8192);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        DecisionDocumentWriter.Write(writer, view);
        writer.Flush();
        var json = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 64 * 1024)
        {
            // An outsized document does not pin its buffer to the thread for ever.
            t_buffer = null;
            t_writer = null;
        }

        return json;
    }
}
