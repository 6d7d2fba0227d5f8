using System.Globalization;
using CreditGrid.Gateway.Security;
using CreditGrid.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CreditGrid.Gateway.Tests.PreCredit;

/// <summary>
/// A gateway whose champion model is a private copy of the shipped model (so a test may overwrite it), polled
/// every 100 ms, with the shipped model as challenger in shadow.
/// </summary>
public sealed class PreCreditGatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string ModelDirectory { get; } = Directory.CreateTempSubdirectory("cg-precredit-").FullName;

    public string ChampionPath => Path.Combine(ModelDirectory, "champion.zip");

    public static string ShippedModel => Path.Combine(AppContext.BaseDirectory, "models", "precredit-default.zip");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        File.Copy(ShippedModel, ChampionPath, overwrite: true);
        builder.UseSetting("CreditGrid:Demo:Enabled", "false");
        builder.UseSetting("CreditGrid:Silo:SiloPort", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("CreditGrid:Silo:GatewayPort", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("CreditGrid:PreCredit:ModelPath", ChampionPath);
        builder.UseSetting("CreditGrid:PreCredit:ChallengerPath", ShippedModel);
        builder.UseSetting("CreditGrid:PreCredit:ReloadInterval", "00:00:00.100");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Orleans", "Error");
    }

    /// <summary>Clients act as an admin, who may ask for any bank; tests of the bank binding mint their own tokens.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        var token = Services.GetRequiredService<GatewayTokenIssuer>().Issue(new TokenRequest("test-admin", [Roles.Admin], null, TimeSpan.FromHours(1))).Token;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    public ValueTask InitializeAsync()
    {
        StartServer();
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(ModelDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class PreCreditCollection : ICollectionFixture<PreCreditGatewayFactory>
{
    public const string Name = "gateway-precredit";
}
