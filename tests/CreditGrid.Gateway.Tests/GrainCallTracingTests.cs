using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CreditGrid.Grains.Telemetry;
using CreditGrid.Testing;

namespace CreditGrid.Gateway.Tests;

/// <summary>
/// A request whose trace is recorded is followed into the grains it calls; an unrecorded one costs the grains nothing
/// and leaves no span. The trace decision comes from the caller's <c>traceparent</c>, so neither case depends on the
/// sampling ratio.
/// </summary>
[Collection(QueryCollection.Name)]
public sealed class GrainCallTracingTests : IDisposable
{
    private readonly GatewayFactory _factory;
    private readonly ConcurrentQueue<Activity> _grainSpans = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == GrainCallTracing.SourceName,
        // Leaves the sampling decision to the gateway's own tracer; this listener only watches spans end.
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
    };

    public GrainCallTracingTests(GatewayFactory factory)
    {
        _factory = factory;
        _listener.ActivityStopped = _grainSpans.Enqueue;
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task ARecordedRequestIsFollowedIntoTheSubjectGrain()
    {
        var (client, code) = await KnownEnterpriseAsync();
        var trace = ActivityTraceId.CreateRandom();

        using var response = await LookupAsync(client, code, trace, recorded: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spans = await Eventually.Until(
            () => Task.FromResult(SpansOf(trace)),
            found => found.Any(span => span.Kind == ActivityKind.Server));
        var call = Assert.Single(spans, span => span.Kind == ActivityKind.Client && Tag(span, "rpc.service").Contains("SubjectGrain", StringComparison.Ordinal));
        var served = Assert.Single(spans, span => span.Kind == ActivityKind.Server && span.ParentSpanId == call.SpanId);
        Assert.True(call.Recorded);
        Assert.True(served.Recorded);
        Assert.Equal(Tag(call, "rpc.method"), Tag(served, "rpc.method"));
        Assert.Equal("orleans", Tag(served, "rpc.system"));
        Assert.Contains(code, Tag(served, "orleans.grain.id"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnrecordedRequestLeavesNoGrainSpan()
    {
        var (client, code) = await KnownEnterpriseAsync();
        var unrecorded = ActivityTraceId.CreateRandom();
        var recorded = ActivityTraceId.CreateRandom();

        using var quiet = await LookupAsync(client, code, unrecorded, recorded: false);
        // A recorded lookup afterwards proves the listener was live when the unrecorded one ran.
        using var traced = await LookupAsync(client, code, recorded, recorded: true);

        Assert.Equal(HttpStatusCode.OK, quiet.StatusCode);
        await Eventually.Until(() => Task.FromResult(SpansOf(recorded)), found => found.Count >= 2);
        Assert.Empty(SpansOf(unrecorded));
        // Nor does a grain open a trace of its own for a call that came without one.
        Assert.DoesNotContain(_grainSpans, span => span.ParentSpanId == default);
    }

    private async Task<(HttpClient Client, string Code)> KnownEnterpriseAsync()
    {
        var client = _factory.CreateClient();
        var code = Records.NewEnterprise();
        await client.SubmitAsync(new JsonArray(Records.Licence(code)));
        await client.EnterpriseEventuallyAsync(code, view => view.LastAppliedSequence == 1);
        return (client, code);
    }

    /// <summary>
    /// Asks for the subject's explanation, which its grain always answers (a plain lookup may be served from the
    /// co-hosted silo's document board without a grain call).
    /// </summary>
    private static Task<HttpResponseMessage> LookupAsync(HttpClient client, string code, ActivityTraceId trace, bool recorded)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/enterprises/{code}/explanation");
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-{(recorded ? "01" : "00")}");
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private List<Activity> SpansOf(ActivityTraceId trace) => [.. _grainSpans.Where(span => span.TraceId == trace)];

    private static string Tag(Activity span, string name) => span.GetTagItem(name) as string ?? "";
}
