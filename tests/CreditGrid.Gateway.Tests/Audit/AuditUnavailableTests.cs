using System.Net;
using CreditGrid.Storage.Audit;
using CreditGrid.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CreditGrid.Gateway.Tests.Audit;

/// <summary>
/// A read that cannot be audited is not answered: with the audit store stalled and its queue full, the score lookup
/// (which records in its own handler) and a filtered endpoint both answer 503 audit_unavailable with Retry-After.
/// </summary>
public sealed class AuditUnavailableTests : IAsyncLifetime
{
    private readonly StalledAuditStore _store = new();
    private readonly GatewayFactory _factory;

    public AuditUnavailableTests() => _factory = new()
    {
        Settings =
        {
            ["CreditGrid:Audit:QueueCapacity"] = "1",
            ["CreditGrid:Audit:BatchSize"] = "1",
            ["CreditGrid:Audit:EnqueueTimeout"] = "00:00:00.200",
        },
        ConfigureServices = services =>
        {
            services.RemoveAll<IAuditStore>();
            services.AddSingleton<IAuditStore>(_store);
        },
    };

    public ValueTask InitializeAsync() => _factory.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        // Let the writer drain so the gateway stops cleanly.
        _store.Release();
        await _factory.DisposeAsync();
    }

    [Theory]
    [InlineData("/api/v1/enterprises/{0}")]
    [InlineData("/api/v1/enterprises/{0}/explanation")]
    public async Task ReadsAreRefusedWith503WhileTheAuditLogCannotTakeThem(string route)
    {
        var client = _factory.CreateClientFor("supervisor");
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, route, Records.NewEnterprise());

        // The writer holds one record in the stalled append and the queue holds one more; then enqueues time out.
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var attempt = 0; attempt < 6 && refused is null; attempt++)
        {
            var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.NotFound, HttpStatusCode.ServiceUnavailable }));
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, null, "audit_unavailable");
        refused.Dispose();
    }

    /// <summary>An audit store whose appends do not finish until the test releases them.</summary>
    private sealed class StalledAuditStore : IAuditStore
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public async Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
        {
            await _released.Task.WaitAsync(cancellationToken);
            return [];
        }

        public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<AuditRecord>>([]);

        public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
