using System.Diagnostics;
using CreditGrid.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>A silo in another process is SIGKILLed, so nobody but the survivor can record its death.</summary>
public sealed class CrashDetectionTests(PostgresFixture postgres)
{
    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> VictimErrors = new();

    [Fact]
    public async Task The_survivor_votes_a_killed_silo_dead()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("crash", ct);
        await using var survivor = await TestSilo.StartAsync(connectionString, "crash", ct);
        var membership = survivor.Services.GetRequiredService<IClusterMembershipService>();
        var survivorAddress = survivor.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

        using var victim = StartVictim(connectionString, "crash");
        try
        {
            var ready = await ReadReadyLineAsync(victim, ct);
            var parts = ready.Split(' ');
            var (port, generation) = (int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));

            await TestSilo.WaitUntilAsync(
                () => Task.FromResult(membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == 2),
                TimeSpan.FromSeconds(30),
                "the survivor sees the victim as active",
                ct);

            victim.Kill(entireProcessTree: true);
            await victim.WaitForExitAsync(ct);

            await TestSilo.WaitUntilAsync(
                () => Task.FromResult(membership.CurrentSnapshot.Members.Values.Any(m => m.SiloAddress.Endpoint.Port == port && m.Status == SiloStatus.Dead)),
                TimeSpan.FromSeconds(45),
                "the survivor declares the killed silo dead",
                ct);

            var suspectTimes = await Databases.ScalarAsync<string>(
                connectionString,
                $"SELECT suspect_times FROM orleans_membership WHERE port = {port} AND generation = {generation} AND status = 6",
                ct);
            Assert.Contains($"{survivorAddress.Endpoint.Port}@{survivorAddress.Generation}", suspectTimes, StringComparison.Ordinal);
        }
        finally
        {
            if (!victim.HasExited)
            {
                victim.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process StartVictim(string connectionString, string clusterId)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CreditGrid.PostgreSql.TestSilo.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[dll, connectionString, clusterId])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the victim silo.");

        // Drained continuously: an unread pipe that fills up would block the victim's logging and stall it.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                VictimErrors.Enqueue(e.Data);
            }
        };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> ReadReadyLineAsync(Process victim, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await victim.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException("The victim silo exited before it was ready: " + string.Join(Environment.NewLine, VictimErrors));
    }
}
