using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CreditGrid.Hosting.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;

// Usage: <connection string> <cluster id>. Joins the cluster through PostgreSQL membership, prints
// "READY <port> <generation>" and then runs until the process is killed or its stdin closes.
if (args.Length != 2)
{
    await Console.Error.WriteLineAsync("usage: CreditGrid.PostgreSql.TestSilo <connection string> <cluster id>");
    return 2;
}

var (connectionString, clusterId) = (args[0], args[1]);
var host = new HostBuilder()
    .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
    .UseOrleans(silo => silo
        .Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = clusterId + "-service";
        })
        .ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort())
        .UseCreditGridPostgresClustering(connectionString)
        // Same fast failure detection as the in-process test silos.
        .Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            o.NumVotesForDeathDeclaration = 1;
            o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(5);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
        }))
    .Build();

await host.StartAsync();
var address = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"READY {address.Endpoint.Port} {address.Generation}"));
// The test holds this process's stdin open; when the test process goes away, however abruptly, stdin reaches EOF and
// the silo exits instead of lingering as an orphan.
_ = Task.Run(async () =>
{
    while (await Console.In.ReadLineAsync() is not null)
    {
    }

    Environment.Exit(0);
});
await host.WaitForShutdownAsync();
return 0;

static int FreePort()
{
    var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    try
    {
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
    finally
    {
        listener.Stop();
    }
}
