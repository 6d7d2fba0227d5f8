namespace CreditGrid.Models.Tests;

/// <summary>The export's error paths that need no database; the export itself is tested against PostgreSQL.</summary>
public sealed class ExportTrainingSetCommandTests : IDisposable
{
    private readonly SyntheticCredit files = new();

    [Fact]
    public void WithoutAConnectionStringItSaysWhereToGiveOneAndExits2()
    {
        var result = CommandLineRunner.Run(_ => null, "export-training-set", "--out", Path.Combine(files.Directory, "x.csv"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: no connection string: pass --connection or set ConnectionStrings__CreditGrid", result.Error.Trim());
        Assert.Empty(result.Output);
    }

    [Fact]
    public void TheEnvironmentVariableIsTheDefaultConnection()
    {
        var csv = Path.Combine(files.Directory, "x.csv");
        string? Environment(string name) => name == "ConnectionStrings__CreditGrid" ? "Host=127.0.0.1;Port=1;Timeout=2" : null;

        var result = CommandLineRunner.Run(Environment, "export-training-set", "--out", csv);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: cannot read the decision store", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public void AnUnwritableDestinationIsOneLineWithoutAStackTrace()
    {
        var csv = Path.Combine(files.Directory, "no-such-folder", "x.csv");

        var result = CommandLineRunner.Run(_ => null, "export-training-set", "--connection", "Host=127.0.0.1;Port=1;Timeout=2", "--out", csv);

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("error: DirectoryNotFoundException", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ABadSinceDateIsACommandLineError()
    {
        var result = CommandLineRunner.Run(_ => "Host=localhost", "export-training-set", "--out", Path.Combine(files.Directory, "x.csv"), "--since", "yesterday");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--since 'yesterday'", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => files.Dispose();
}
