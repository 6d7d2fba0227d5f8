using System.Net;
using CreditGrid.Gateway.Security;

namespace CreditGrid.Gateway.Tests;

/// <summary>Per-client token buckets, on a gateway of its own with a limit of one request a second and a burst of three.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly GatewayFactory _factory = new()
    {
        Settings = { ["CreditGrid:RateLimit:PermitsPerSecond"] = "1", ["CreditGrid:RateLimit:Burst"] = "3" },
    };

    public ValueTask InitializeAsync() => _factory.InitializeAsync();

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task ClientOverItsBurstGets429WithRetryAfterWhileAnotherClientIsServed()
    {
        using var noisy = _factory.CreateClientFor(Roles.Supervisor);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var response = await noisy.GetAsync("/api/v1/cities/610100", TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            // The burst of three is served before the refusal (a fourth may slip in if a second passes meanwhile).
            Assert.All(statuses.Take(3), s => Assert.Equal(HttpStatusCode.OK, s));
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, null, "rate_limited");
            var retryAfter = refused.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        }

        // Another token's sub is another bucket; health probes are never limited.
        using var other = _factory.CreateClientFor(Roles.Monitoring);
        using var served = await other.GetAsync("/api/v1/cities/610100", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        for (var i = 0; i < 5; i++)
        {
            using var health = await noisy.GetAsync("/health/live", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task TheBucketRefillsAfterRetryAfter()
    {
        using var client = _factory.CreateClientFor(Roles.Admin);
        HttpStatusCode last;
        var attempts = 0;
        do
        {
            using var response = await client.GetAsync("/api/v1/cities/610100", TestContext.Current.CancellationToken);
            last = response.StatusCode;
        }
        while (last != HttpStatusCode.TooManyRequests && ++attempts < 10);
        Assert.Equal(HttpStatusCode.TooManyRequests, last);

        await Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken);

        using var after = await client.GetAsync("/api/v1/cities/610100", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public void ClientsArePartitionedBySubThenByAddress()
    {
        var authenticated = new Microsoft.AspNetCore.Http.DefaultHttpContext
        {
            User = new(new System.Security.Claims.ClaimsIdentity([new(CallerClaims.Subject, "dept-42")], "Bearer", CallerClaims.Subject, CallerClaims.Role)),
        };
        var anonymous = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        anonymous.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");

        Assert.Equal("sub:dept-42", Protection.ClientRateLimiting.PartitionKey(authenticated));
        Assert.Equal("ip:10.1.2.3", Protection.ClientRateLimiting.PartitionKey(anonymous));
    }
}
