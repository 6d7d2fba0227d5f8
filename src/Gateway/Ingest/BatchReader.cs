using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace CreditGrid.Gateway.Ingest;

/// <summary>
/// Turns a request body into records: a JSON array, or NDJSON (one object per line). A body that is not
/// well-formed is refused whole, with where it broke, so nothing of a malformed batch is ever written.
/// </summary>
/// <remarks>
/// Each record is handed to the caller's reader while its JSON is readable, and the parsed document is released right
/// after: the reader keeps what it needs (a parsed credit event) rather than the JSON. NDJSON lines used to be cloned
/// out of their documents to outlive them, a copy of every record's text and token table the ingest path only read
/// once.
/// </remarks>
public static class BatchReader
{
    public const string NdjsonMediaType = "application/x-ndjson";

    /// <param name="read">Reads one record; its element is valid only during the call.</param>
    public static BatchReadResult<T> Read<T>(ReadOnlyMemory<byte> body, bool ndjson, int maxRecords, Func<JsonElement, T> read) =>
        ndjson ? ReadNdjson(body, maxRecords, read) : ReadArray(body, maxRecords, read);

    private static BatchReadResult<T> ReadArray<T>(ReadOnlyMemory<byte> body, int maxRecords, Func<JsonElement, T> read)
    {
        if (InvalidUtf8At(body.Span) is { } invalid)
        {
            var before = body.Span[..invalid];
            var line = before.Count((byte)'\n') + 1;
            var lineStart = before.LastIndexOf((byte)'\n') + 1;
            return BatchReadResult<T>.Malformed($"The body is not valid JSON at line {line}, byte {invalid - lineStart + 1}: {NotUtf8}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return BatchReadResult<T>.Malformed($"The body is not valid JSON at line {Line(ex)}, byte {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return BatchReadResult<T>.Malformed($"The body must be a JSON array of records (or NDJSON with Content-Type {NdjsonMediaType}); found a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }

            var count = document.RootElement.GetArrayLength();
            if (count > maxRecords)
            {
                return BatchReadResult<T>.TooMany(count);
            }

            if (MayHoldLoneSurrogate(body.Span))
            {
                var index = 0;
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    index++;
                    if (UndecodableTextAt(element, "$") is { } path)
                    {
                        return BatchReadResult<T>.Malformed($"Record {index} is not valid JSON text at {path}: {LoneSurrogate}");
                    }
                }
            }

            var records = new List<T>(count);
            foreach (var element in document.RootElement.EnumerateArray())
            {
                records.Add(read(element));
            }

            return BatchReadResult<T>.Ok(records);
        }
    }

    private static BatchReadResult<T> ReadNdjson<T>(ReadOnlyMemory<byte> body, int maxRecords, Func<JsonElement, T> read)
    {
        var records = new List<T>();
        var span = body;
        var line = 0;
        while (!span.IsEmpty)
        {
            line++;
            var end = span.Span.IndexOf((byte)'\n');
            var current = end < 0 ? span : span[..end];
            span = end < 0 ? ReadOnlyMemory<byte>.Empty : span[(end + 1)..];
            if (IsBlank(current.Span))
            {
                continue;
            }

            if (records.Count == maxRecords)
            {
                return BatchReadResult<T>.TooMany(records.Count + 1 + CountNonBlankLines(span));
            }

            if (InvalidUtf8At(current.Span) is { } invalid)
            {
                return BatchReadResult<T>.Malformed($"Line {line} is not valid JSON at byte {invalid + 1}: {NotUtf8}");
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(current, new JsonDocumentOptions { MaxDepth = 32 });
            }
            catch (JsonException ex)
            {
                return BatchReadResult<T>.Malformed($"Line {line} is not valid JSON at byte {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}");
            }

            using (document)
            {
                if (MayHoldLoneSurrogate(current.Span) && UndecodableTextAt(document.RootElement, "$") is { } path)
                {
                    return BatchReadResult<T>.Malformed($"Line {line} is not valid JSON text at {path}: {LoneSurrogate}");
                }

                records.Add(read(document.RootElement));
            }
        }

        return BatchReadResult<T>.Ok(records);
    }

    private const string NotUtf8 = "JSON text must be encoded in UTF-8.";

    private const string LoneSurrogate = "an escaped lone surrogate (\\uD800-\\uDFFF) is not a Unicode character.";

    // The reader does not validate UTF-8 inside strings, and reading such a string later throws; refusing the body
    // here keeps invalid text a client error instead of a failure deep in validation.
    private static int? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return null;
        }

        var index = 0;
        while (Rune.DecodeFromUtf8(bytes[index..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            index += consumed;
        }

        return index;
    }

    // Only an escape of U+D800-U+DFFF can unescape to text that is not Unicode; the full walk is skipped without one.
    private static bool MayHoldLoneSurrogate(ReadOnlySpan<byte> bytes) =>
        bytes.IndexOf("\\ud"u8) >= 0 || bytes.IndexOf("\\uD"u8) >= 0;

    // JSON allows an escaped lone surrogate, but it has no string value: reading it throws. Returns the path of the
    // first member name or string that cannot be read, or null when every one can.
    private static string? UndecodableTextAt(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Decodes(element.GetString) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (UndecodableTextAt(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = "";
                    if (!Decodes(() => name = property.Name))
                    {
                        return path;
                    }

                    if (UndecodableTextAt(property.Value, $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Decodes(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private static int CountNonBlankLines(ReadOnlyMemory<byte> rest)
    {
        var count = 0;
        foreach (var line in Encoding.UTF8.GetString(rest.Span).Split('\n'))
        {
            count += string.IsNullOrWhiteSpace(line) ? 0 : 1;
        }

        return count;
    }

    private static long Line(JsonException ex) => (ex.LineNumber ?? 0) + 1;

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut < 0 ? message : message[..(cut + 1)];
    }
}

/// <summary>Records read from a body, or why the body was refused.</summary>
public sealed record BatchReadResult<T>(IReadOnlyList<T> Records, string? MalformedReason, int? TooManyCount)
{
    public static BatchReadResult<T> Ok(IReadOnlyList<T> records) => new(records, null, null);

    public static BatchReadResult<T> Malformed(string reason) => new([], reason, null);

    public static BatchReadResult<T> TooMany(int count) => new([], null, count);
}
