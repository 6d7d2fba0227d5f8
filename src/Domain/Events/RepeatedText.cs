using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using CommunityToolkit.HighPerformance.Buffers;

namespace CreditGrid.Domain.Events;

/// <summary>
/// One copy per process of the text that repeats from record to record: a subject's id and name, the providing
/// department, the jurisdiction, the legal basis, a list or an authority. A subject grain keeps every record it folds
/// (a record is its effect's source, re-scored when the rules change), so without sharing a silo held each of these
/// strings once per record: about half of a kept record's bytes (<c>bench/records</c>).
/// </summary>
/// <remarks>
/// A bounded pool: values seen often stay, values that stop coming are replaced by newer ones, and a value that is
/// not in the pool is simply a string of its own. Identifiers that never repeat (record ids, document and case
/// numbers) stay out of it.
/// </remarks>
public static class RepeatedText
{
    /// <summary>
    /// Distinct values the pool keeps at least: the departments, jurisdictions and authorities of a province number in
    /// the thousands, and subjects come in runs (a batch carries a subject's records together), so recent subjects'
    /// ids and names fit beside them.
    /// </summary>
    public const int PoolSize = 1 << 16;

    /// <summary>Longest value, in UTF-8 bytes as it stands in the JSON, that is read through the pool.</summary>
    internal const int LongestPooledBytes = 512;

    private static readonly StringPool Pool = new(PoolSize);

    /// <summary>The pooled string equal to <paramref name="value"/>, or null for null.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Share(string? value) => value is null ? null : Pool.GetOrAdd(value);

    /// <summary>The pooled string with these characters.</summary>
    public static string Share(ReadOnlySpan<char> value) => Pool.GetOrAdd(value);
}

/// <summary>
/// Reads a JSON string through <see cref="RepeatedText"/> without allocating a string when the pool already holds it;
/// writes it as any string. Anything but a JSON string fails exactly as the built-in string converter does.
/// </summary>
public sealed class RepeatedTextConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (reader.TokenType != JsonTokenType.String || length > RepeatedText.LongestPooledBytes)
        {
            // The reader's own error for a token that is not a string; a long value is rarely repeated.
            return RepeatedText.Share(reader.GetString());
        }

        // Unescaped, the value has at most as many UTF-16 characters as its JSON text has bytes; copying validates the
        // UTF-8 and unescapes exactly as GetString does.
        Span<char> characters = stackalloc char[RepeatedText.LongestPooledBytes];
        var written = reader.CopyString(characters);
        return RepeatedText.Share(characters[..written]);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
