using System.Net;
using CreditGrid.Grains.Hosting;
using CreditGrid.Silo;
using CreditGrid.Storage.Migrations;
using Npgsql;

// One binary for local runs, compose and Kubernetes: settings come from appsettings, the command line and the
// environment (ConnectionStrings__CreditGrid, Orleans__ClusterId, CreditGrid__Silo__SiloPort, …).
var builder = Host.CreateApplicationBuilder(args.Where(a => a != "migrate").ToArray());
var configuration = builder.Configuration;

if (args.Contains("migrate"))
{
    // `migrate`: apply deploy/sql idempotently and exit; silos also migrate on start.
    var connectionString = configuration.PostgresConnectionString()
        ?? throw new InvalidOperationException("migrate needs ConnectionStrings:CreditGrid (environment ConnectionStrings__CreditGrid).");
    await using var dataSource = NpgsqlDataSource.Create(connectionString);
    var applied = await new SchemaMigrator(dataSource).MigrateAsync();
    Console.WriteLine(applied.Count == 0 ? "Schema is up to date." : $"Applied migrations: {string.Join(", ", applied)}");
    return;
}

builder.AddSiloTelemetry();
var ports = SiloPorts.From(configuration);
builder.UseOrleans(silo =>
{
    if (configuration.GetSection("Orleans:Clustering").Exists() || configuration.PostgresConnectionString() is not null)
    {
        var address = IPAddress.TryParse(configuration["CreditGrid:Silo:AdvertisedAddress"], out var parsed) ? parsed : IPAddress.Loopback;
        silo.ConfigureEndpoints(address, ports.Silo, ports.Gateway, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
    }
    else
    {
        silo.UseLocalhostClustering(ports.Silo, ports.Gateway);
    }

    silo.AddCreditGrid(configuration);
});

try
{
    await builder.Build().RunAsync();
}
catch (Exception ex) when (StorageUnreachable(ex) is { } reason)
{
    // Storage never came up within CreditGrid:Storage:StartupRetry: the reason is already logged; exit cleanly so a
    // supervisor restarts the silo instead of reading a stack trace.
    Console.Error.WriteLine(reason);
    Environment.ExitCode = 1;
}

// The silo lifecycle may wrap the failure of its first stage; look through to the storage start-up error.
static string? StorageUnreachable(Exception? ex)
{
    for (; ex is not null; ex = ex.InnerException)
    {
        if (ex is InvalidOperationException && ex.Message.StartsWith("PostgreSQL at ", StringComparison.Ordinal))
        {
            return ex.Message;
        }
    }

    return null;
}
