using System.Net.Http.Json;
using System.Text.Json;
using CreditGrid.Testing;

namespace CreditGrid.Gateway.Tests.Audit;

/// <summary>Requests made as a given caller, and reads of the audit log.</summary>
internal static class AuditCalls
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static HttpRequestMessage As(this HttpRequestMessage request, string sub, string roles = "supervisor", string? organisation = null, string? purpose = null, string? correlation = null)
    {
        request.Headers.Add(AuditGatewayFactory.SubHeader, sub);
        request.Headers.Add(AuditGatewayFactory.RolesHeader, roles);
        if (organisation is not null)
        {
            request.Headers.Add(AuditGatewayFactory.UsccHeader, organisation);
        }

        if (purpose is not null)
        {
            request.Headers.Add("X-Purpose", purpose);
        }

        if (correlation is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlation);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> CallAsync(this HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            return await client.SendAsync(request, Cancellation);
        }
    }

    public static async Task<AuditPageAnswer> AuditAsync(this HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/v1/audit?" + query, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.IsSuccessStatusCode, $"GET /api/v1/audit?{query}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<AuditPageAnswer>(text, JsonSerializerOptions.Web)!;
    }

    /// <summary>Polls the audit log until <paramref name="count"/> records match: they are written behind the answer.</summary>
    public static async Task<IReadOnlyList<AuditRecordAnswer>> AuditEventuallyAsync(this HttpClient client, string query, int count)
    {
        var page = await Eventually.Until(() => client.AuditAsync(query), p => p.Records.Count >= count);
        Assert.True(page.Records.Count == count, $"Expected {count} audit records for {query}, found {page.Records.Count}");
        return page.Records;
    }

    public static Task<AuditVerificationAnswer?> VerifyAsync(this HttpClient client) =>
        client.GetFromJsonAsync<AuditVerificationAnswer>("/api/v1/audit/verify", JsonSerializerOptions.Web, Cancellation);
}

internal sealed record AuditPageAnswer(List<AuditRecordAnswer> Records, long? Next);

internal sealed record AuditRecordAnswer(
    long Sequence,
    DateTimeOffset Time,
    string Who,
    List<string> Roles,
    string? Organisation,
    string? Subject,
    string? Purpose,
    string Action,
    string Method,
    string Route,
    int Outcome,
    string CorrelationId,
    string? Details,
    string Hash);

internal sealed record AuditVerificationAnswer(bool Intact, long RecordsChecked, long LastSequence, string? LastHash, long? FirstBrokenSequence, string? Reason);
