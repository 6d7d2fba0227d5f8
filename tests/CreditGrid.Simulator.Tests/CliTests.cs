using System.CommandLine;
using System.Text.Json;
using CreditGrid.Simulator.Cli;

namespace CreditGrid.Simulator.Tests;

public sealed class CliTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 4, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("creditgrid-sim-").FullName;

    [Fact]
    public async Task NdjsonWritesOneLinePerHistoryAndLiveRecord()
    {
        var path = Path.Combine(_directory, "province.ndjson");
        var expectedHistory = new ProvinceSimulator(new ProvinceOptions { Enterprises = 150, GovernmentBodies = 12, Seed = 11 }, Now).History().Count();
        var output = new StringWriter();

        var exit = await Invoke(output, "ndjson", "--out", path, "--enterprises", "150", "--government-bodies", "12", "--seed", "11", "--live", "25");

        Assert.Equal(0, exit);
        var lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(expectedHistory + 25, lines.Length);
        Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
        Assert.Contains($"{expectedHistory + 25:N0} records", output.ToString());
    }

    [Fact]
    public async Task PostRefusesANonLoopbackUrlWithoutAllowRemote()
    {
        var error = new StringWriter();

        var exit = await Invoke(new StringWriter(), error, "post", "--url", "http://203.0.113.5:5080", "--enterprises", "1");

        Assert.NotEqual(0, exit);
        Assert.Contains("--allow-remote", error.ToString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://203.0.113.5:5080", false)]
    [InlineData("http://grid.example.cn", false)]
    public void OnlyLoopbackTargetsAreAllowedByDefault(string url, bool allowed)
    {
        Assert.Equal(allowed, IngestTarget.Resolve(url, allowRemote: false, out _) is not null);
        Assert.NotNull(IngestTarget.Resolve(url, allowRemote: true, out _));
    }

    [Theory]
    [InlineData("60s", 60)]
    [InlineData("500ms", 0.5)]
    [InlineData("5m", 300)]
    [InlineData("00:01:30", 90)]
    public void DurationsParse(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<int> Invoke(StringWriter output, params string[] args) => Invoke(output, new StringWriter(), args);

    private static Task<int> Invoke(StringWriter output, StringWriter error, params string[] args) =>
        SimulatorCli.CreateRootCommand(new FixedTime(Now)).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
