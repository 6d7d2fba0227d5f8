using System.Buffers;
using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Gateway.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.PreCredit;

/// <summary>
/// Reads small JSON request bodies field by field, so that a missing or malformed field is answered with a
/// ProblemDetails naming it rather than a generic binding failure.
/// </summary>
internal static class JsonBody
{
    private const long MaxBytes = 64 * 1024;

    /// <summary>The body as a JSON object, or the problem with it. The element stays readable until the response has been sent.</summary>
    public static async Task<(JsonElement Body, ProblemHttpResult? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (default, TooLarge());
        }

        // This reader enforces the limit itself, on the bytes actually read.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        // A pooled buffer sized from Content-Length: a body of a few hundred bytes used to cost a fresh 80 KB read
        // buffer and a copy, on every decision.
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } declared ? (int)declared + 1 : 4096);
        var handedOver = false;
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, MaxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > MaxBytes)
                {
                    return (default, TooLarge());
                }
            }

            var (document, problem) = Parse(buffer.AsMemory(0, length));
            if (document is null)
            {
                return (default, problem);
            }

            // The element reads the pooled buffer in place instead of a clone of the document; both are released when
            // the response has been sent, after the endpoint has taken what it needs from the body.
            request.HttpContext.Response.RegisterForDispose(new ParsedBody(document, buffer));
            handedOver = true;
            return (document.RootElement, null);
        }
        finally
        {
            if (!handedOver)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static (JsonDocument? Document, ProblemHttpResult? Problem) Parse(ReadOnlyMemory<byte> bytes)
    {
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return (document, null);
            }

            document.Dispose();
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "Invalid body", "The body must be a JSON object.", "body", "not_an_object"));
        }
        catch (JsonException ex)
        {
            document?.Dispose();
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON: {ex.Message}", "body", "malformed_json"));
        }
    }

    /// <summary>A parsed body and the pooled buffer its elements read, released together at the end of the request.</summary>
    private sealed class ParsedBody(JsonDocument document, byte[] buffer) : IDisposable
    {
        public void Dispose()
        {
            document.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body exceeds {MaxBytes} bytes.", "body", "body_too_large");

    public static ProblemHttpResult Required(string field) =>
        Problems.Create(StatusCodes.Status400BadRequest, "Missing field", $"{field} is required.", field, "required");

    public static ProblemHttpResult Invalid(string field, string reason, string detail) =>
        Problems.Create(StatusCodes.Status400BadRequest, "Invalid field", detail, field, reason);

    /// <summary>A required non-empty string of at most <paramref name="maxLength"/> characters.</summary>
    public static (string? Value, ProblemHttpResult? Problem) String(JsonElement body, string field, int maxLength)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, Required(field));
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return (null, Invalid(field, "invalid_type", $"{field} must be a string."));
        }

        var text = value.GetString()!.Trim();
        return text.Length == 0 ? (null, Required(field))
            : text.Length > maxLength ? (null, Invalid(field, "too_long", $"{field} must be at most {maxLength} characters."))
            : (text, null);
    }

    /// <summary>A required USCC of an enterprise or organisation (not a government body when <paramref name="enterpriseOnly"/>).</summary>
    public static (string? Value, ProblemHttpResult? Problem) Uscc(JsonElement body, string field, bool enterpriseOnly)
    {
        var (text, problem) = String(body, field, 32);
        return text is null ? (null, problem) : UsccValue(text, field, enterpriseOnly);
    }

    /// <summary>Validates a USCC given in a path or body.</summary>
    public static (string? Value, ProblemHttpResult? Problem) UsccValue(string text, string field, bool enterpriseOnly)
    {
        var check = Domain.Identifiers.Uscc.Validate(text);
        if (!check.IsValid)
        {
            return (null, Invalid(field, check.Failure!.Value.Code(), check.Message));
        }

        return enterpriseOnly && check.SubjectType == SubjectType.GovernmentBody
            ? (null, Invalid(field, "wrong_subject_kind", $"{check.Normalised} is a government body, not an enterprise."))
            : (check.Normalised, null);
    }

    /// <summary>A required positive number.</summary>
    public static (decimal Value, ProblemHttpResult? Problem) PositiveAmount(JsonElement body, string field, bool required = true)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (0m, required ? Required(field) : null);
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var amount))
        {
            return (0m, Invalid(field, "invalid_type", $"{field} must be a number."));
        }

        return amount <= 0m ? (0m, Invalid(field, "not_positive", $"{field} must be greater than zero.")) : (amount, null);
    }

    /// <summary>An optional ISO 8601 instant.</summary>
    public static (DateTimeOffset? Value, ProblemHttpResult? Problem) Instant(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        return value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var instant)
            ? (instant, null)
            : (null, Invalid(field, "invalid_date", $"{field} must be an ISO 8601 date-time with offset, e.g. 2027-01-31T00:00:00+08:00."));
    }
}
