using System.Text;
using System.Text.Json;

namespace CreditGrid.Gateway.Ingest;

/// <summary>
/// Turns a request body into records: a JSON array, or NDJSON (one object per line). A body that is not
/// well-formed is refused whole, with where it broke, so nothing of a malformed batch is ever written.
/// </summary>
public static class BatchReader
{
    public const string NdjsonMediaType = "application/x-ndjson";

    public static BatchReadResult Read(ReadOnlyMemory<byte> body, bool ndjson, int maxRecords) =>
        ndjson ? ReadNdjson(body, maxRecords) : ReadArray(body, maxRecords);

    private static BatchReadResult ReadArray(ReadOnlyMemory<byte> body, int maxRecords)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return BatchReadResult.Malformed($"The body is not valid JSON at line {Line(ex)}, byte {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return BatchReadResult.Malformed($"The body must be a JSON array of records (or NDJSON with Content-Type {NdjsonMediaType}); found a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
        }

        var count = document.RootElement.GetArrayLength();
        if (count > maxRecords)
        {
            return BatchReadResult.TooMany(count);
        }

        return BatchReadResult.Ok([.. document.RootElement.EnumerateArray()]);
    }

    private static BatchReadResult ReadNdjson(ReadOnlyMemory<byte> body, int maxRecords)
    {
        var records = new List<JsonElement>();
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
                return BatchReadResult.TooMany(records.Count + 1 + CountNonBlankLines(span));
            }

            try
            {
                using var document = JsonDocument.Parse(current, new JsonDocumentOptions { MaxDepth = 32 });
                records.Add(document.RootElement.Clone());
            }
            catch (JsonException ex)
            {
                return BatchReadResult.Malformed($"Line {line} is not valid JSON at byte {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}");
            }
        }

        return BatchReadResult.Ok(records);
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
public sealed record BatchReadResult(IReadOnlyList<JsonElement> Records, string? MalformedReason, int? TooManyCount)
{
    public static BatchReadResult Ok(IReadOnlyList<JsonElement> records) => new(records, null, null);

    public static BatchReadResult Malformed(string reason) => new([], reason, null);

    public static BatchReadResult TooMany(int count) => new([], null, count);
}
