using System.Globalization;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Domain.Scoring;
using CreditGrid.Simulator.Cli;
using CreditGrid.Simulator.PreCredit;

namespace CreditGrid.Simulator.Tests;

/// <summary><c>training-set</c> and the generative default model behind it.</summary>
public sealed class TrainingSetTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 4, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("creditgrid-training-").FullName;

    [Fact]
    public async Task TheCsvHoldsTheLiveFeaturesTheLabelAndTheTruePd()
    {
        var path = Path.Combine(_directory, "train.csv");
        var output = new StringWriter();

        var exit = await SimulatorCli.CreateRootCommand(new FixedTime(Now))
            .Parse(["training-set", "--enterprises", "400", "--seed", "9", "--out", path])
            .InvokeAsync(new() { Output = output, Error = new StringWriter() }, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        var lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(401, lines.Length);
        Assert.Equal(string.Join(',', ["uscc", .. PreCreditFeatureVector.Names, "defaulted", "true_pd"]), lines[0]);

        // Row 1 is the first simulated enterprise: folding its records again gives the same features.
        var simulator = new BorrowerSimulator(9, new DateOnly(2026, 6, 15));
        var first = simulator.Next();
        var features = TrainingSetWriter.Features(new CreditEvaluator(CreditRules.Default), first, Now);
        var cells = lines[1].Split(',');
        Assert.Equal(first.Uscc, cells[0]);
        Assert.Equal(PreCreditFeatureVector.ToVector(features).Select(v => v.ToString("R", CultureInfo.InvariantCulture)), cells[1..^2]);
        var truePd = double.Parse(cells[^1], CultureInfo.InvariantCulture);
        Assert.Equal(BorrowerSimulator.DefaultProbability(first.LatentRisk, features), truePd, 5);

        var pds = lines.Skip(1).Select(l => double.Parse(l.Split(',')[^1], CultureInfo.InvariantCulture)).ToArray();
        Assert.All(pds, p => Assert.InRange(p, 0, 1));
        Assert.InRange(pds.Average(), 0.02, 0.12);
        Assert.Contains("400 enterprises", output.ToString());
    }

    [Fact]
    public void TruePdFallsAsTheCompositeScoreRises()
    {
        var features = new PreCreditFeatures(false, false, false, false, false, CreditGrade.B, 60, 12, 100_000m, 2_000_000m);

        var low = BorrowerSimulator.DefaultProbability(0, features with { CompositeScore = 600 });
        var high = BorrowerSimulator.DefaultProbability(0, features with { CompositeScore = 900 });

        Assert.True(high < low);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
