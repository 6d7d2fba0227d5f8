using System.Net;
using CreditGrid.Gateway.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CreditGrid.Gateway.Tests;

/// <summary>The <c>token</c> command end to end: its output is a token the gateway accepts with the roles asked for.</summary>
[Collection(QueryCollection.Name)]
public sealed class TokenCommandTests(GatewayFactory factory)
{
    [Fact]
    public async Task MintedEnterpriseTokenReadsItselfOnTheGateway()
    {
        var self = Records.NewEnterprise();
        using var admin = factory.CreateClient();
        Assert.Equal(1, (await admin.SubmitAsync(new System.Text.Json.Nodes.JsonArray(Records.Licence(self)))).Accepted);
        await admin.EnterpriseEventuallyAsync(self, _ => true);

        var (code, output, error) = await RunAsync("--role", "enterprise", "--uscc", self.ToLowerInvariant(), "--subject", "finance-office", "--expires", "30m");

        Assert.True(code == 0, error);
        var token = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var jwt = new JsonWebToken(token);
        Assert.Equal("finance-office", jwt.Subject);
        Assert.Equal(self, jwt.GetClaim(CallerClaims.Uscc).Value);
        Assert.Equal(["enterprise"], jwt.Claims.Where(c => c.Type == CallerClaims.Role).Select(c => c.Value));
        Assert.InRange(jwt.ValidTo - DateTime.UtcNow, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));

        using var client = factory.CreateClientWithToken(token);
        var (status, body) = await client.GetAsync<SubjectAnswer>($"/api/v1/enterprises/{self}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(self, body!.Uscc);
        using var other = await client.GetAsync($"/api/v1/enterprises/{Records.NewEnterprise()}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task SeveralRolesAndTheDefaultLifetime()
    {
        var (code, output, error) = await RunAsync("--role", "supervisor", "--role", "monitoring");

        Assert.True(code == 0, error);
        var jwt = new JsonWebToken(output.Trim());
        Assert.Equal(["supervisor", "monitoring"], jwt.Claims.Where(c => c.Type == CallerClaims.Role).Select(c => c.Value));
        Assert.Equal("supervisor+monitoring", jwt.Subject);
        Assert.InRange(jwt.ValidTo - DateTime.UtcNow, TimeSpan.FromHours(7.9), TimeSpan.FromHours(8));
        using var client = factory.CreateClientWithToken(output.Trim());
        using var alerts = await client.GetAsync("/api/v1/alerts", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, alerts.StatusCode);
    }

    [Theory]
    [InlineData("no uscc for a bank", "--role", "bank")]
    [InlineData("unknown role", "--role", "auditor")]
    [InlineData("invalid uscc", "--role", "enterprise", "--uscc", "91610103MA6TGXU51B")]
    public async Task IncoherentRequestsFailWithoutAToken(string why, params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.True(code == 2, why);
        Assert.Empty(output);
        Assert.StartsWith("error:", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9x")]
    [InlineData("0h")]
    [InlineData("400d")]
    public async Task AnUnreadableLifetimeIsRefused(string expires)
    {
        var (code, output, error) = await RunAsync("--role", "admin", "--expires", expires);

        Assert.NotEqual(0, code);
        Assert.Empty(output);
        Assert.Contains("--expires", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShortSigningKeyIsRefusedWithTheKeyToSet()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CreditGrid:Auth:SigningKey"] = "too-short" }).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await TokenCommand.RunAsync(["--role", "admin"], configuration, output, error);

        Assert.Equal(2, code);
        Assert.Contains("CreditGrid:Auth:SigningKey must be at least 32 bytes", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheCommandIsRecognisedOnlyAsTheFirstArgument()
    {
        Assert.True(TokenCommand.IsRequested(["token", "--role", "admin"]));
        Assert.False(TokenCommand.IsRequested([]));
        Assert.False(TokenCommand.IsRequested(["--urls", "http://127.0.0.1:5080", "token"]));
    }

    /// <summary>Runs the command against the test gateway's own configuration, so it signs with the key the gateway checks.</summary>
    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var configuration = factory.Services.GetRequiredService<IConfiguration>();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TokenCommand.RunAsync(args, configuration, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
