using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditGrid.Gateway.Reports;

/// <summary>
/// SHA-256 of a report's canonical content: compact JSON with the member order of the content records, enums by
/// name, dates in ISO form. Anyone with the registry's metadata and the same content gets the same hash.
/// </summary>
public static class ReportHash
{
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Of(CreditReportContent content) => Sha256(JsonSerializer.SerializeToUtf8Bytes(content, Canonical));

    /// <summary>Lower-case hex SHA-256 of bytes, as the registry stores hashes.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
