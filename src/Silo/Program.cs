using System.Net;
using CreditGrid.Grains.Hosting;
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

builder.Build().Run();
