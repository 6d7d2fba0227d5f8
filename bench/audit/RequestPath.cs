using System.Diagnostics;
using System.Security.Claims;
using CreditGrid.Gateway.Audit;
using CreditGrid.Storage.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CreditGrid.Bench.Audit;

/// <summary>
/// What the audit filter adds to a request, without HTTP: build the entry from a request with claims, route value and
/// headers and enqueue it, while the writer hashes and stores it on another thread.
/// </summary>
internal static class RequestPath
{
    /// <returns>Records per second of the request side alone (entry + enqueue), and until every record was stored.</returns>
    public static async Task<(double RequestSide, double Stored)> MeasureAsync(int count)
    {
        var store = new InMemoryAuditStore();
        // Room for every record: this measures the cost per request, not the back-pressure of a saturated writer.
        var options = Options.Create(new AuditOptions { QueueCapacity = count });
        var queue = new AuditQueue(options, store, NullLogger<AuditQueue>.Instance);
        var writer = new AuditWriter(queue, store, options, NullLogger<AuditWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);

        var http = new DefaultHttpContext();
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "bank-7"), new Claim("role", "bank"), new Claim("uscc", "91610000MA6TGC1X2A")], "jwt", "sub", "role"));
        http.Request.Method = "GET";
        http.Request.Path = "/api/v1/enterprises/91610103MA6TGC1X2A";
        http.Request.RouteValues["uscc"] = "91610103MA6TGC1X2A";
        http.Request.Headers["X-Purpose"] = "loan review";

        var started = Stopwatch.GetTimestamp();
        for (var n = 0; n < count; n++)
        {
            await queue.EnqueueAsync(AuditEntries.From(http, AuditActions.CreditRead, 200, null, DateTimeOffset.UtcNow));
        }

        var requestSide = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await writer.StopAsync(CancellationToken.None);
        var stored = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return store.Count == count ? (count / requestSide, count / stored) : throw new InvalidOperationException($"{store.Count} of {count} records stored.");
    }
}
