using CreditGrid.Testing;
using System.Net;
using System.Net.Sockets;
using CreditGrid.Hosting.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>A silo host on loopback ports, wired to PostgreSQL exactly as production wires it.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    public const string StorageName = "Default";

    private TestSilo(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public static async Task<TestSilo> StartAsync(string connectionString, string clusterId, CancellationToken cancellationToken, Action<ISiloBuilder>? configure = null)
    {
        var host = new HostBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = clusterId;
                        o.ServiceId = clusterId + "-service";
                    })
                    .ConfigureEndpoints(IPAddress.Loopback, LoopbackPorts.Free(), LoopbackPorts.Free())
                    .UseCreditGridPostgres(connectionString, StorageName)
                    // Failure detection in seconds instead of minutes, so a dead silo is declared within the test.
                    .Configure<ClusterMembershipOptions>(o =>
                    {
                        o.ProbeTimeout = TimeSpan.FromSeconds(1);
                        o.NumMissedProbesLimit = 2;
                        o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                        o.NumVotesForDeathDeclaration = 1;
                        o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(5);
                        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
                    })
                    .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
                configure?.Invoke(silo);
            })
            .Build();
        await host.StartAsync(cancellationToken);
        return new TestSilo(host);
    }

    /// <summary>Graceful stop: the silo marks itself dead and hands its work over.</summary>
    public Task StopAsync() => Host.StopAsync(CancellationToken.None);

    /// <summary>
    /// Ungraceful stop, as close to a crash as one process allows: a cancelled stop skips the graceful shutdown, so
    /// the silo does not announce its death and the others have to detect it.
    /// </summary>
    public async Task KillAsync()
    {
        try
        {
            await Host.StopAsync(new CancellationToken(canceled: true));
        }
        catch (OperationCanceledException)
        {
            // Expected: the stop was cancelled before it started.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            Host.Dispose();
        }
    }


    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting until {what}.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
