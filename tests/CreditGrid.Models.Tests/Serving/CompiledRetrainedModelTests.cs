using System.Globalization;
using System.Text;
using CreditGrid.Models.Training.Serving;

namespace CreditGrid.Models.Tests.Serving;

/// <summary>
/// A model file that replaces the shipped one at run time (hot reload, or a challenger) is compiled too, and answers
/// as ML.NET does, whatever the trainer and missing-value handling it was trained with.
/// </summary>
public sealed class CompiledRetrainedModelTests : IDisposable
{
    private readonly SyntheticCredit files = new();

    /// <summary>
    /// Trees of up to 8 leaves are evaluated by outcome table, larger ones bit-parallel (up to 64 leaves); the presets'
    /// 16 and 20 leaves take the second path, <c>--leaves 8</c> the first.
    /// </summary>
    [Theory]
    [InlineData("tuned", "true", null, "bits")]
    [InlineData("baseline", "false", null, "bits")]
    [InlineData("fasttree", "false", null, "bits")]
    [InlineData("tuned", "true", "8", "tables")]
    [InlineData("fasttree", "false", "5", "tables")]
    public void ARetrainedNumericModelIsCompiledAndEqualsMlNet(string preset, string keepMissing, string? leaves, string evaluation)
    {
        var output = Path.Combine(files.Directory, preset + leaves);
        string[] leafLimit = leaves is null ? [] : ["--leaves", leaves];
        var train = CommandLineRunner.Run([
            "train", "--data", WriteNumeric("train.csv", 600, seed: 21), "--label", "Bad", "--id", "Id", "--out", output,
            "--preset", preset, "--keep-missing", keepMissing, .. leafLimit, .. CommandLineRunner.QuickTraining]);
        Assert.True(train.ExitCode == 0, train.Error);
        var model = ServingModel.Load(Assert.Single(Directory.GetFiles(output, "model-*.zip")));

        Assert.True(model.IsCompiled);
        Assert.Equal(evaluation, model.Evaluation);
        var random = new Random(8);
        for (var n = 0; n < 500; n++)
        {
            var row = new float[model.FeatureNames.Count];
            for (var i = 0; i < row.Length; i++)
            {
                var cuts = model.SplitThresholdsOf(i);
                row[i] = random.Next(2) == 0 && cuts.Count > 0 ? cuts[random.Next(cuts.Count)] : (float)((random.NextDouble() * 12) - 1);
            }

            // Every tenth row has a missing value: ML.NET routes it, and the answer is still the same.
            if (n % 10 == 0)
            {
                row[random.Next(row.Length)] = float.NaN;
            }

            var compiled = model.Score(row);
            var engine = model.ScoreWithEngine(row);
            Assert.Equal(engine.Probability, compiled.Probability, 7);
            Assert.All(engine.Contributions.Zip(compiled.Contributions), pair => Assert.Equal(pair.First, pair.Second, 5));
        }
    }

    public void Dispose() => files.Dispose();

    /// <summary>Numeric columns only (as the pre-credit vector is), a few missing, the label driven by two of them.</summary>
    private string WriteNumeric(string name, int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("Id,a,b,c,d,Bad\n");
        for (var r = 0; r < rows; r++)
        {
            var (a, b, c, d) = (random.NextDouble() * 10, random.NextDouble() * 10, random.NextDouble() * 10, random.Next(0, 4));
            var bad = (a * 0.6) - (b * 0.4) + (random.NextDouble() * 4) > 3.5;
            var missing = random.Next(20) == 0 ? "" : c.ToString("F3", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{r},{a:F3},{b:F3},{missing},{d},{(bad ? 1 : 0)}\n");
        }

        var path = Path.Combine(files.Directory, name);
        File.WriteAllText(path, csv.ToString());
        return path;
    }
}
