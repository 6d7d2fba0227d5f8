using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CreditGrid.Models.Training.Cards;
using CreditGrid.Models.Training.Data;
using CreditGrid.Models.Training.Evaluation;
using Microsoft.ML;

namespace CreditGrid.Models.Training.Training;

/// <summary>What to train.</summary>
/// <param name="DataPath">CSV file.</param>
/// <param name="Label">Binary label column.</param>
/// <param name="Id">Identifier column to exclude from the features.</param>
/// <param name="Folds">Cross-validation folds.</param>
/// <param name="Seed">Seed of folds and learners.</param>
/// <param name="OutputDirectory">Where the model and card go.</param>
/// <param name="Settings">Learner settings.</param>
/// <param name="Costs">Cost matrix for the threshold analysis, if wanted.</param>
public sealed record TrainRequest(
    string DataPath, string Label, string? Id, int Folds, int Seed, string OutputDirectory, TrainerSettings Settings, CostMatrix? Costs)
{
    /// <summary>Columns left out of the features besides the id.</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>
    /// A column holding each row's true probability of the positive class (known for simulated data); it is left
    /// out of the features and the card compares predicted with true rates by decile.
    /// </summary>
    public string? Truth { get; init; }
}

/// <summary>Files written by a run and its card.</summary>
/// <param name="ModelPath">Path of the model zip.</param>
/// <param name="CardPath">Path of the model card.</param>
/// <param name="Card">The card.</param>
public sealed record TrainOutcome(string ModelPath, string CardPath, ModelCard Card);

/// <summary>The train command's work: validate, cross-validate, fit on everything, write model and card.</summary>
public static class TrainingRun
{
    /// <summary>Runs the request, reporting progress one line at a time.</summary>
    /// <exception cref="InputDataException">The data cannot be used; the message says why.</exception>
    public static TrainOutcome Execute(TrainRequest request, Action<string> progress, TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var source = Path.GetFileName(request.DataPath);
        var table = CsvTable.Load(request.DataPath);
        var hash = Sha256(request.DataPath);
        var labels = LabelParser.ParseColumn(table, request.Label, source);
        var layout = FeatureLayout.Infer(table, request.Label, request.Id, source, [.. request.Ignore, .. request.Truth is { } t ? [t] : Array.Empty<string>()]);
        var rows = layout.ToRows(table, labels, source);
        var positives = labels.Count(l => l);
        if (positives < request.Folds || labels.Length - positives < request.Folds)
        {
            throw new InputDataException(
                $"{source}: {request.Folds} folds need at least {request.Folds} rows of each class; there are {positives} positives and {labels.Length - positives} negatives");
        }

        progress(FormattableString.Invariant(
            $"{source}: {rows.Count} rows, {positives} positives ({100.0 * positives / rows.Count:F2}%), {layout.Columns.Count} features ({layout.Numeric.Count} numeric, {layout.OneHot.Count} one-hot, {layout.Hashed.Count} hashed)"));
        foreach (var column in layout.Columns.Where(c => c.Kind == ColumnKind.Hashed && c.Distinct == rows.Count))
        {
            progress($"note: column '{column.Name}' has a different value on every row; if it is an identifier, pass it with --id");
        }

        var s = request.Settings;
        progress(FormattableString.Invariant(
            $"trainer {s.Learner} (preset {s.Preset}): leaves {s.Leaves}, min leaf {s.MinExamplesPerLeaf}, learning rate {s.LearningRate}, trees {s.Trees}, feature fraction {s.FeatureFraction}, subsample {s.Subsample}, L2 {s.L2}, missing {(s.KeepMissing ? "kept as NaN" : "mean-imputed")}, imbalance {s.Imbalance}"));
        if (s.IsComposite || s.Booster != BoosterKind.Gbdt || !s.MissingIndicators)
        {
            progress(FormattableString.Invariant(
                $"booster {s.Booster}{(s.Booster == BoosterKind.Dart ? $" (drop rate {s.DropRate})" : string.Empty)}, bags {s.Bags}{(s.Bootstrap ? " (bootstrap)" : string.Empty)}, missing indicators {(s.MissingIndicators ? "on" : "off")}, missing count {(s.MissingCount ? "on" : "off")}, ratios of the top {s.RatioTop} columns"));
        }

        progress($"{request.Folds}-fold stratified cross-validation, seed {request.Seed}{(request.Costs is null ? string.Empty : " (with inner folds to choose the cost threshold)")}");

        var validator = new CrossValidator(layout, s, request.Seed);
        var cv = validator.Run(rows, request.Folds, request.Costs, progress);
        var validation = Summarise(cv, labels, request);
        progress(FormattableString.Invariant(
            $"mean      AUC {validation.Auc.Mean:F4} ± {validation.Auc.Sd:F4}  KS {validation.Ks.Mean:F4} ± {validation.Ks.Sd:F4}  Brier {validation.Brier.Mean:F4} ± {validation.Brier.Sd:F4}"));
        if (validation.Cost is { } cost)
        {
            progress(FormattableString.Invariant(
                $"cost per applicant {cost.CostPerApplicant.Mean:F3} ± {cost.CostPerApplicant.Sd:F3} (accept all {cost.AcceptAllCost:F3}, reject all {cost.RejectAllCost:F3}); final threshold {cost.FinalThreshold:F3}"));
        }

        progress("calibration of pooled out-of-fold probabilities (decile: rows, mean predicted, observed rate)");
        foreach (var bin in validation.Calibration)
        {
            progress(FormattableString.Invariant($"  {bin.Bin,2}: {bin.Count,6}  {bin.MeanPredicted,8:F4}  {bin.ObservedRate,8:F4}"));
        }

        var fitClock = Stopwatch.StartNew();
        var ml = new MLContext(request.Seed);
        var model = validator.Fit(ml, rows);
        progress(FormattableString.Invariant($"final model on all {rows.Count} rows ({fitClock.Elapsed.TotalSeconds:F1} s)"));

        var version = $"{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{hash[..8]}";
        Directory.CreateDirectory(request.OutputDirectory);
        var modelName = $"model-{version}.zip";
        var modelPath = Path.Combine(request.OutputDirectory, modelName);
        ModelFile.Save(ml, model, modelPath, FeatureDistribution.FromRows(layout, rows));

        var card = new ModelCard(
            version,
            now,
            modelName,
            new DataSummary(source, hash, rows.Count, positives, request.Label, request.Id),
            layout.Columns,
            s,
            validation)
        {
            TruthCalibration = request.Truth is { } truth ? TruthCalibration.Compute(table, truth, labels, cv.OutOfFold, source) : null,
        };
        if (card.TruthCalibration is { } truthBins)
        {
            progress("predicted against true default rate by decile of out-of-fold prediction (decile: rows, mean predicted, mean true, observed)");
            foreach (var bin in truthBins)
            {
                progress(FormattableString.Invariant($"  {bin.Bin,2}: {bin.Count,6}  {bin.MeanPredicted,8:F4}  {bin.MeanTrue,8:F4}  {bin.ObservedRate,8:F4}"));
            }
        }

        var cardPath = Path.Combine(request.OutputDirectory, $"model-card-{version}.json");
        File.WriteAllText(cardPath, card.ToJson());
        progress($"wrote {modelPath}");
        progress($"wrote {cardPath}");
        return new TrainOutcome(modelPath, cardPath, card);
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static ValidationSummary Summarise(CrossValidationResult cv, bool[] labels, TrainRequest request)
    {
        Spread Of(Func<FoldResult, double> metric)
        {
            var (mean, sd) = BinaryMetrics.MeanSd([.. cv.Folds.Select(metric)]);
            return new Spread(mean, sd);
        }

        CostSummary? cost = null;
        if (request.Costs is { } costs)
        {
            var positiveRate = labels.Count(l => l) / (double)labels.Length;
            cost = new CostSummary(
                costs.FalseNegative,
                costs.FalsePositive,
                Of(f => f.CostPerApplicant ?? double.NaN),
                costs.FalseNegative * positiveRate,
                costs.FalsePositive * (1 - positiveRate),
                BinaryMetrics.BestThreshold(labels, cv.OutOfFold, costs.FalseNegative, costs.FalsePositive).Threshold);
        }

        return new ValidationSummary(
            request.Folds,
            request.Seed,
            Stratified: true,
            cv.Folds,
            Of(f => f.Metrics.Auc),
            Of(f => f.Metrics.Ks),
            Of(f => f.Metrics.Brier),
            BinaryMetrics.Compute(labels, cv.OutOfFold),
            BinaryMetrics.Calibration(labels, cv.OutOfFold),
            cost);
    }
}
