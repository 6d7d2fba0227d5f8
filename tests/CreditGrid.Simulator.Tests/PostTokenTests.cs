using System.CommandLine;
using System.Net;
using System.Text;
using CreditGrid.Simulator.Cli;

namespace CreditGrid.Simulator.Tests;

/// <summary><c>post --token</c> sends the bearer token with every batch, and says so when the gateway refuses it.</summary>
public sealed class PostTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EveryBatchCarriesTheBearerToken()
    {
        var gateway = new RecordingGateway(HttpStatusCode.Accepted);

        var exit = await Invoke(gateway, new StringWriter(), "--token", "header.payload.signature", "--batch", "5");

        Assert.Equal(0, exit);
        Assert.True(gateway.Authorizations.Count > 1);
        Assert.All(gateway.Authorizations, a => Assert.Equal("Bearer header.payload.signature", a));
    }

    [Fact]
    public async Task ARefusedTokenEndsThePostWithTheGatewaysReason()
    {
        var gateway = new RecordingGateway(HttpStatusCode.Unauthorized);
        var error = new StringWriter();

        var exit = await Invoke(gateway, error);

        Assert.Equal(1, exit);
        Assert.Equal([null], gateway.Authorizations);
        Assert.Contains("401", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Send a bearer token", error.ToString(), StringComparison.Ordinal);
    }

    private static Task<int> Invoke(RecordingGateway gateway, StringWriter error, params string[] extra) =>
        SimulatorCli.CreateRootCommand(new FixedTime(Now), gateway)
            .Parse(["post", "--enterprises", "5", "--government-bodies", "1", .. extra])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error }, TestContext.Current.CancellationToken);

    /// <summary>Answers every batch with one status, accepting all records when it is 202, and notes the Authorization header.</summary>
    private sealed class RecordingGateway(HttpStatusCode status) : HttpMessageHandler
    {
        public List<string?> Authorizations { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Authorizations)
            {
                Authorizations.Add(request.Headers.Authorization?.ToString());
            }

            if (status != HttpStatusCode.Accepted)
            {
                return new HttpResponseMessage(status)
                {
                    Content = new StringContent("""{"title":"Unauthorized","detail":"Send a bearer token: Authorization: Bearer <token>.","reason":"missing_token"}""", Encoding.UTF8, "application/problem+json"),
                };
            }

            var lines = (await request.Content!.ReadAsStringAsync(cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            return new HttpResponseMessage(HttpStatusCode.Accepted)
            {
                Content = new StringContent($$"""{"accepted":{{lines}},"duplicates":0,"rejected":0,"results":[]}""", Encoding.UTF8, "application/json"),
            };
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
