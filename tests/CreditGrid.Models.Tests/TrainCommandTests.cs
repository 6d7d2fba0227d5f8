using CreditGrid.Models.Training.Cards;
using CreditGrid.Models.Training.Data;

namespace CreditGrid.Models.Tests;

public sealed class TrainCommandTests : IDisposable
{
    private readonly SyntheticCredit files = new();

    [Fact]
    public void TrainingOnLearnableDataWritesModelAndPlausibleCard()
    {
        var data = files.WriteLearnable("learnable.csv", 400, seed: 7);
        var output = Path.Combine(files.Directory, "out");

        var result = CommandLineRunner.Run(["train", "--data", data, "--label", "Bad", "--id", "Id", "--out", output, .. CommandLineRunner.QuickTraining]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("fold 1/3", result.Output);
        Assert.Contains("fold 3/3", result.Output);
        var card = ModelCard.FromJson(File.ReadAllText(Assert.Single(Directory.GetFiles(output, "model-card-*.json"))));
        Assert.True(File.Exists(Path.Combine(output, card.ModelFile)));
        Assert.Matches(@"^\d{8}-\d{6}-[0-9a-f]{8}$", card.Version);
        Assert.Equal($"model-{card.Version}.zip", card.ModelFile);
        Assert.StartsWith(card.Version[^8..], card.Data.Sha256);
        Assert.Equal(400, card.Data.Rows);
        Assert.Equal(3, card.Validation.PerFold.Count);
        Assert.True(card.Validation.Auc.Mean > 0.7, $"mean AUC {card.Validation.Auc.Mean}");
        Assert.InRange(card.Validation.Brier.Mean, 0, 0.25);
        Assert.Equal(10, card.Validation.Calibration.Count);
        Assert.Equal(400, card.Validation.Calibration.Sum(b => b.Count));
        Assert.DoesNotContain(card.Features, f => f.Name is "Id" or "Bad");
        Assert.Equal(ColumnKind.OneHot, card.Features.Single(f => f.Name == "Sector").Kind);
        var cover = card.Features.Single(f => f.Name == "Cover");
        Assert.Equal(ColumnKind.Numeric, cover.Kind);
        Assert.True(cover.Missing > 0);
    }

    [Fact]
    public void EvaluateScoresAHeldOutFileWithTheSavedModel()
    {
        var output = Path.Combine(files.Directory, "out");
        var train = CommandLineRunner.Run([
            "train", "--data", files.WriteLearnable("train.csv", 300, seed: 1), "--label", "Bad", "--id", "Id", "--out", output,
            .. CommandLineRunner.QuickTraining]);
        Assert.True(train.ExitCode == 0, train.Error);
        var model = Assert.Single(Directory.GetFiles(output, "model-*.zip"));

        var result = CommandLineRunner.Run("evaluate", "--model", model, "--data", files.WriteLearnable("holdout.csv", 200, seed: 2), "--label", "Bad");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"AUC 0\.(7|8|9)\d{3}", result.Output);
    }

    [Fact]
    public void CostMatrixAddsACostAnalysisToTheCard()
    {
        var output = Path.Combine(files.Directory, "out");
        var result = CommandLineRunner.Run([
            "train", "--data", files.WriteLearnable("cost.csv", 300, seed: 3), "--label", "Bad", "--id", "Id", "--out", output,
            "--cost-fn", "5", "--cost-fp", "1", .. CommandLineRunner.QuickTraining]);

        Assert.True(result.ExitCode == 0, result.Error);
        var card = ModelCard.FromJson(File.ReadAllText(Assert.Single(Directory.GetFiles(output, "model-card-*.json"))));
        var cost = Assert.IsType<CostSummary>(card.Validation.Cost);
        Assert.All(card.Validation.PerFold, f => Assert.NotNull(f.Threshold));

        // A useful threshold must beat both trivial policies on learnable data.
        Assert.True(cost.CostPerApplicant.Mean < Math.Min(cost.AcceptAllCost, cost.RejectAllCost), result.Output);
    }

    public void Dispose() => files.Dispose();
}
