using CreditGrid.Models.Training.Cards;
using CreditGrid.Models.Training.Data;
using CreditGrid.Models.Training.Serving;
using CreditGrid.Models.Training.Training;
using Microsoft.ML;

namespace CreditGrid.Models.Tests;

/// <summary>Bagged members, DART and derived features: trained, saved, reloaded and scored like a single model.</summary>
public sealed class EnsembleTests : IDisposable
{
    private readonly SyntheticCredit files = new();

    [Fact]
    public void TheEnsemblePresetTrainsSavesAndScoresAHeldOutFile()
    {
        var output = Path.Combine(files.Directory, "out");

        var train = CommandLineRunner.Run([
            "train", "--data", files.WriteLearnable("train.csv", 400, seed: 11), "--label", "Bad", "--id", "Id", "--out", output,
            "--preset", TrainerSettings.EnsemblePreset, "--bags", "3", "--missing-count", "true", "--ratio-top", "2", .. CommandLineRunner.QuickTraining]);

        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("bags 3", train.Output, StringComparison.Ordinal);
        var card = ModelCard.FromJson(File.ReadAllText(Assert.Single(Directory.GetFiles(output, "model-card-*.json"))));
        Assert.Equal(3, card.Trainer.Bags);
        Assert.True(card.Trainer.MissingCount);
        Assert.True(card.Validation.Auc.Mean > 0.7, $"mean AUC {card.Validation.Auc.Mean}");
        var model = Path.Combine(output, card.ModelFile);

        var loaded = ModelFile.Load(new MLContext(0), model);
        Assert.Equal(3, loaded.Members.Count);
        Assert.True(loaded.Engineering.MissingCount);
        Assert.Single(loaded.Engineering.Ratios);
        Assert.Equal(card.Features.Count, loaded.Layout.Columns.Count);

        var evaluate = CommandLineRunner.Run("evaluate", "--model", model, "--data", files.WriteLearnable("holdout.csv", 200, seed: 12), "--label", "Bad");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Matches(@"AUC 0\.(7|8|9)\d{3}", evaluate.Output);
    }

    [Fact]
    public void AnAveragedModelPredictsTheMeanOfItsMembers()
    {
        var data = files.WriteLearnable("mean.csv", 300, seed: 13);
        var table = CsvTable.Load(data);
        var labels = LabelParser.ParseColumn(table, "Bad", "mean.csv");
        var layout = FeatureLayout.Infer(table, "Bad", "Id", "mean.csv");
        var rows = layout.ToRows(table, labels, "mean.csv");
        var ml = new MLContext(1);
        var settings = TrainerSettings.Presets["baseline"] with { Trees = 20, Bags = 2, Booster = BoosterKind.Dart };

        var ensemble = TrainedModel.Fit(ml, layout, settings, 5, rows);
        var each = ensemble.Members.Select(m => new TrainedModel(layout, ensemble.Engineering, [m]).Predict(ml, rows)).ToArray();
        var mean = ensemble.Predict(ml, rows);

        Assert.NotEqual(each[0], each[1]);
        Assert.All(Enumerable.Range(0, rows.Count), i => Assert.Equal((each[0][i] + each[1][i]) / 2, mean[i], 6));
    }

    [Fact]
    public void DerivedFeaturesAreRatiosOfTheBestSeparatorsAndTheMissingCount()
    {
        var layout = new FeatureLayout("Bad", null, [
            new FeatureColumn("noise", ColumnKind.Numeric, 0, 4),
            new FeatureColumn("strong", ColumnKind.Numeric, 0, 4),
            new FeatureColumn("weak", ColumnKind.Numeric, 1, 4)]);
        FeatureRow Row(float noise, float strong, float weak, bool bad) => new() { Numeric = [noise, strong, weak], Label = bad };
        var rows = new[]
        {
            Row(1, 1, 1, false), Row(2, 2, 3, false), Row(1, 3, float.NaN, false), Row(2, 4, 2, false),
            Row(1, 5, 5, true), Row(2, 6, 4, true), Row(1, 7, 6, true), Row(2, 8, 7, true),
        };

        var engineering = FeatureEngineering.Fit(layout, rows, missingCount: true, ratioTop: 2);
        var derived = engineering.Apply([Row(1, 6, 0, true), Row(1, 6, float.NaN, true)]);

        Assert.Equal([new RatioFeature(1, 2)], engineering.Ratios);
        Assert.Equal(["noise", "strong", "weak", FeatureEngineering.MissingCountColumn, "engineered:strong/weak"], engineering.Extend(layout).Columns.Select(c => c.Name));
        Assert.Equal(0f, derived[0].Numeric[3]);
        Assert.True(float.IsNaN(derived[0].Numeric[4]), "division by zero is missing");
        Assert.Equal(1f, derived[1].Numeric[3]);
        Assert.True(float.IsNaN(derived[1].Numeric[4]));
    }

    [Fact]
    public void OnlineScoringRefusesAnEnsemble()
    {
        var output = Path.Combine(files.Directory, "served");
        var data = files.Write("numeric.csv", string.Join('\n', ["Leverage,Bad", .. Enumerable.Range(0, 120).Select(i => $"{i % 17},{(i % 17 > 10 ? 1 : 0)}")]) + "\n");
        var train = CommandLineRunner.Run(["train", "--data", data, "--label", "Bad", "--out", output, "--bags", "2", "--min-leaf", "2", .. CommandLineRunner.QuickTraining]);
        Assert.True(train.ExitCode == 0, train.Error);

        var error = Assert.Throws<InputDataException>(() => ServingModel.Load(Assert.Single(Directory.GetFiles(output, "model-*.zip"))));

        Assert.Contains("only single models are served", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASingleModelWithoutMissingIndicatorsIsServedWithOneContributionPerColumn()
    {
        var output = Path.Combine(files.Directory, "plain");
        var data = files.Write("two.csv", string.Join('\n', ["Leverage,Cover,Bad", .. Enumerable.Range(0, 200).Select(i => $"{i % 17},{(i % 5 == 0 ? "" : (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture))},{(i % 17 > 10 ? 1 : 0)}")]) + "\n");
        var train = CommandLineRunner.Run(["train", "--data", data, "--label", "Bad", "--out", output, "--missing-indicators", "false", "--min-leaf", "2", .. CommandLineRunner.QuickTraining]);
        Assert.True(train.ExitCode == 0, train.Error);

        var model = ServingModel.Load(Assert.Single(Directory.GetFiles(output, "model-*.zip")));
        var low = model.Score([1f, 3f]);
        var high = model.Score([15f, float.NaN]);

        Assert.Equal(2, high.Contributions.Length);
        Assert.True(high.Probability > low.Probability, $"high {high.Probability} low {low.Probability}");
        Assert.True(high.Contributions[0] > 0);
    }

    public void Dispose() => files.Dispose();
}
