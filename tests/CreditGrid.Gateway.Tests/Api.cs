using CreditGrid.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CreditGrid.Gateway.Tests;

/// <summary>Calls of the gateway's HTTP API and the shapes its answers are read into.</summary>
internal static class Api
{
    public const string Events = "/api/v1/events";
    public const string Ndjson = "application/x-ndjson";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, JsonNode batch) =>
        client.PostRawAsync(batch.ToJsonString(), "application/json");

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string body, string? contentType) =>
        client.PostBytesAsync(Encoding.UTF8.GetBytes(body), contentType);

    public static Task<HttpResponseMessage> PostBytesAsync(this HttpClient client, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return client.PostAsync(Events, content, Cancellation);
    }

    /// <summary>Posts a body without Content-Length (chunked), so the gateway learns its size only by reading it.</summary>
    public static async Task<HttpResponseMessage> PostStreamedAsync(this HttpClient client, byte[] body, string contentType)
    {
        using var content = new StreamContent(new UnseekableStream(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, Events) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        return await client.SendAsync(request, Cancellation);
    }

    public static Task<HttpResponseMessage> PostNdjsonAsync(this HttpClient client, params string[] lines) =>
        client.PostRawAsync(string.Join('\n', lines), Ndjson);

    /// <summary>Posts a batch that must be answered 202, and returns the answer.</summary>
    public static async Task<BatchAnswer> SubmitAsync(this HttpClient client, JsonNode batch)
    {
        using var response = await client.PostAsync(batch);
        return await response.ReadBatchAsync();
    }

    public static async Task<BatchAnswer> ReadBatchAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<BatchAnswer>(text, JsonSerializerOptions.Web)!;
    }

    /// <summary>Asserts a ProblemDetails answer with the status, field and reason, and the guarantees every problem carries.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? field, string? reason)
    {
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var problem = AssertWellFormedProblem(response, text);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (field is not null)
        {
            Assert.True(problem.TryGetProperty("field", out var actual) && actual.GetString() == field, $"Expected field {field}: {text}");
        }

        if (reason is not null)
        {
            Assert.True(problem.TryGetProperty("reason", out var actual) && actual.GetString() == reason, $"Expected reason {reason}: {text}");
        }

        return problem;
    }

    /// <summary>A problem+json body with a trace id and without anything a stack trace would leave behind.</summary>
    public static JsonElement AssertWellFormedProblem(HttpResponseMessage response, string text)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(
            problem.TryGetProperty("traceId", out var traceId) && !string.IsNullOrWhiteSpace(traceId.GetString()),
            $"ProblemDetails without traceId: {text}");
        AssertNoStackTrace(text);
        return problem;
    }

    public static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("stackTrace", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", text, StringComparison.Ordinal);
    }

    public static async Task<(HttpStatusCode Status, T? Body)> GetAsync<T>(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Cancellation);
        return response.StatusCode == HttpStatusCode.OK
            ? (response.StatusCode, await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, Cancellation))
            : (response.StatusCode, default);
    }

    /// <summary>Polls until the enterprise view satisfies <paramref name="done"/>; subjects are folded asynchronously from the log.</summary>
    public static Task<SubjectAnswer?> EnterpriseEventuallyAsync(this HttpClient client, string uscc, Func<SubjectAnswer, bool> done) =>
        Eventually.Until(async () => (await client.GetAsync<SubjectAnswer>($"/api/v1/enterprises/{uscc}")).Body, s => s is not null && done(s));

    /// <summary>A stream the client cannot measure, so the request goes out chunked.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

internal sealed record BatchAnswer(int Accepted, int Duplicates, int Rejected, List<RecordAnswer> Results);

internal sealed record RecordAnswer(int Index, string? RecordId, string Status, long? SubjectSequence, string? Field, string? Reason, string? Message);

internal sealed record SubjectAnswer(
    string Uscc,
    string SubjectType,
    int Score,
    double Score100,
    string Grade,
    string Tier,
    JsonElement Dimensions,
    bool SeriouslyDishonest,
    long LastAppliedSequence,
    DateTimeOffset AsOf,
    string RulesVersion,
    string? DivisionCode);

internal sealed record CityAnswer(string Code, string Name, string Level, string? ParentCode, int Subjects, int Enterprises, int GovernmentBodies, double AverageScore);

