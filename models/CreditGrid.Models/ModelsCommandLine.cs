using System.CommandLine;
using CreditGrid.Models.Training.Data;
using CreditGrid.Models.Training.Evaluation;
using CreditGrid.Models.Training.Training;

namespace CreditGrid.Models;

/// <summary>The <c>creditgrid-models</c> command line: <c>train</c>, <c>evaluate</c> and <c>export-training-set</c>.</summary>
public static class ModelsCommandLine
{
    /// <summary>Exit code when the input data or model cannot be used.</summary>
    public const int DataError = 2;

    /// <summary>Exit code for a failure that is not the input's fault (disk full, native library missing).</summary>
    public const int UnexpectedError = 3;

    /// <summary>Builds the root command with its subcommands.</summary>
    /// <param name="environment">Reads an environment variable; the process environment when null.</param>
    public static RootCommand Build(Func<string, string?>? environment = null)
    {
        var root = new RootCommand("CreditGrid pre-credit models: train and evaluate binary credit-risk models on CSV files, export the next training set.");
        root.Subcommands.Add(TrainCommand());
        root.Subcommands.Add(EvaluateCommand());
        root.Subcommands.Add(ExportTrainingSetCommand.Create(environment ?? Environment.GetEnvironmentVariable));
        return root;
    }

    private static Command TrainCommand()
    {
        var data = new Option<string>("--data") { Description = "CSV file with a header row", Required = true };
        var label = new Option<string>("--label") { Description = "Binary label column (0/1, true/false, yes/no; 1 = bad)", Required = true };
        var id = new Option<string?>("--id") { Description = "Identifier column to leave out of the features" };
        var ignore = new Option<string[]>("--ignore") { Description = "Further columns to leave out of the features (repeatable or comma-separated)", AllowMultipleArgumentsPerToken = true };
        var truth = new Option<string?>("--truth") { Description = "Column of true probabilities (simulated data): left out, compared with predictions by decile in the card" };
        var folds = new Option<int>("--folds") { Description = "Stratified cross-validation folds", DefaultValueFactory = _ => 5 };
        folds.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 2 or > 20)
            {
                r.AddError("--folds must be between 2 and 20");
            }
        });
        var seed = new Option<int>("--seed") { Description = "Seed of the fold assignment and the learners", DefaultValueFactory = _ => 42 };
        var output = new Option<string>("--out") { Description = "Directory for model-<version>.zip and model-card-<version>.json", Required = true };
        var preset = new Option<string>("--preset")
        {
            Description = $"Starting settings: {string.Join(", ", TrainerSettings.Presets.Keys)}",
            DefaultValueFactory = _ => TrainerSettings.DefaultPreset,
        };
        preset.AcceptOnlyFromAmong([.. TrainerSettings.Presets.Keys]);
        var learner = new Option<TreeLearner?>("--trainer") { Description = "Override the learner: LightGbm or FastTree" };
        var leaves = new Option<int?>("--leaves") { Description = "Override the maximum leaves per tree" };
        var minLeaf = new Option<int?>("--min-leaf") { Description = "Override the minimum rows per leaf" };
        var learningRate = new Option<double?>("--learning-rate") { Description = "Override the learning rate" };
        var trees = new Option<int?>("--trees") { Description = "Override the number of boosting iterations" };
        var featureFraction = new Option<double?>("--feature-fraction") { Description = "Override the share of features per tree" };
        var subsample = new Option<double?>("--subsample") { Description = "Override the share of rows bagged per iteration" };
        var l2 = new Option<double?>("--l2") { Description = "Override the L2 regularisation" };
        var keepMissing = new Option<bool?>("--keep-missing") { Description = "Override: true leaves NaN to the trees, false imputes the mean" };
        var imbalance = new Option<ImbalanceHandling?>("--imbalance") { Description = "Override the class-imbalance handling: None, Unbalanced or Weights" };
        var bags = new Option<int?>("--bags") { Description = "Override the number of models averaged (seed bagging; 1 = a single model)" };
        bags.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 100)
            {
                r.AddError("--bags must be between 1 and 100");
            }
        });
        var bootstrap = new Option<bool?>("--bootstrap") { Description = "Override: true trains each bagged model on its own bootstrap sample" };
        var booster = new Option<BoosterKind?>("--booster") { Description = "Override the LightGBM booster: Gbdt or Dart" };
        var dropRate = new Option<double?>("--drop-rate") { Description = "Override the share of trees DART drops per iteration" };
        var missingIndicators = new Option<bool?>("--missing-indicators") { Description = "Override: false drops the 0/1 missing indicator beside each numeric column" };
        var missingCount = new Option<bool?>("--missing-count") { Description = "Override: true adds each row's count of missing numeric values" };
        var ratioTop = new Option<int?>("--ratio-top") { Description = "Override: add pairwise ratios of the N best single separators, chosen inside each fold (0 = none)" };
        var costFn = new Option<double?>("--cost-fn") { Description = "Cost of accepting a bad risk; with --cost-fp, reports the cost-minimising threshold" };
        var costFp = new Option<double?>("--cost-fp") { Description = "Cost of rejecting a good risk" };

        var command = new Command("train", "Cross-validate, then fit on all rows and write a versioned model and its model card.")
        {
            data, label, id, ignore, truth, folds, seed, output, preset, learner, leaves, minLeaf, learningRate, trees,
            featureFraction, subsample, l2, keepMissing, imbalance, bags, bootstrap, booster, dropRate, missingIndicators, missingCount, ratioTop,
            costFn, costFp,
        };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(costFn) is null) != (r.GetValue(costFp) is null))
            {
                r.AddError("--cost-fn and --cost-fp go together");
            }
        });
        command.SetAction(parse =>
        {
            var basis = TrainerSettings.Presets[parse.GetRequiredValue(preset)];
            var settings = basis with
            {
                Learner = parse.GetValue(learner) ?? basis.Learner,
                Leaves = parse.GetValue(leaves) ?? basis.Leaves,
                MinExamplesPerLeaf = parse.GetValue(minLeaf) ?? basis.MinExamplesPerLeaf,
                LearningRate = parse.GetValue(learningRate) ?? basis.LearningRate,
                Trees = parse.GetValue(trees) ?? basis.Trees,
                FeatureFraction = parse.GetValue(featureFraction) ?? basis.FeatureFraction,
                Subsample = parse.GetValue(subsample) ?? basis.Subsample,
                L2 = parse.GetValue(l2) ?? basis.L2,
                KeepMissing = parse.GetValue(keepMissing) ?? basis.KeepMissing,
                Imbalance = parse.GetValue(imbalance) ?? basis.Imbalance,
                Bags = parse.GetValue(bags) ?? basis.Bags,
                Bootstrap = parse.GetValue(bootstrap) ?? basis.Bootstrap,
                Booster = parse.GetValue(booster) ?? basis.Booster,
                DropRate = parse.GetValue(dropRate) ?? basis.DropRate,
                MissingIndicators = parse.GetValue(missingIndicators) ?? basis.MissingIndicators,
                MissingCount = parse.GetValue(missingCount) ?? basis.MissingCount,
                RatioTop = parse.GetValue(ratioTop) ?? basis.RatioTop,
            };
            var costs = parse.GetValue(costFn) is { } fn && parse.GetValue(costFp) is { } fp ? new CostMatrix(fn, fp) : null;
            var request = new TrainRequest(
                parse.GetRequiredValue(data),
                parse.GetRequiredValue(label),
                parse.GetValue(id),
                parse.GetValue(folds),
                parse.GetValue(seed),
                parse.GetRequiredValue(output),
                settings,
                costs)
            {
                Ignore = [.. (parse.GetValue(ignore) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                Truth = parse.GetValue(truth),
            };
            return Guarded(parse, writeLine => TrainingRun.Execute(request, writeLine));
        });
        return command;
    }

    private static Command EvaluateCommand()
    {
        var model = new Option<string>("--model") { Description = "model-<version>.zip written by train", Required = true };
        var data = new Option<string>("--data") { Description = "Held-out CSV file with the model's columns", Required = true };
        var label = new Option<string?>("--label") { Description = "Label column (defaults to the one the model was trained on)" };
        var command = new Command("evaluate", "Print AUC, KS, Brier score and calibration of a saved model on a held-out file.")
        {
            model, data, label,
        };
        command.SetAction(parse => Guarded(
            parse,
            writeLine => HeldOutEvaluation.Execute(parse.GetRequiredValue(model), parse.GetRequiredValue(data), parse.GetValue(label), writeLine)));
        return command;
    }

    // Bad input is the user's to fix, so it gets one readable line; anything else is still reported without a
    // stack trace because the tool runs in scripts whose logs are read by analysts, not developers.
    private static int Guarded(ParseResult parse, Action<Action<string>> work)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            work(line => output.WriteLine(line));
            return 0;
        }
        catch (InputDataException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return DataError;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or DllNotFoundException or ArgumentException)
        {
            error.WriteLine($"error: {ex.GetType().Name}: {ex.Message}");
            return UnexpectedError;
        }
    }
}
