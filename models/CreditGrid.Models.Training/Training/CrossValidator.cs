using System.Diagnostics;
using CreditGrid.Models.Training.Data;
using CreditGrid.Models.Training.Evaluation;
using Microsoft.ML;

namespace CreditGrid.Models.Training.Training;

/// <summary>Misclassification costs; the positive class is the bad risk.</summary>
/// <param name="FalseNegative">Cost of accepting a positive (a bad risk).</param>
/// <param name="FalsePositive">Cost of rejecting a negative (a good risk).</param>
public sealed record CostMatrix(double FalseNegative, double FalsePositive);

/// <summary>Held-out result of one fold.</summary>
/// <param name="Fold">1-based fold number.</param>
/// <param name="TrainRows">Rows trained on.</param>
/// <param name="Metrics">Metrics on the held-out rows.</param>
/// <param name="Seconds">Wall time of the fold.</param>
/// <param name="Threshold">Cost-minimising threshold chosen inside the training rows, when costs are given.</param>
/// <param name="CostPerApplicant">Mean cost on the held-out rows at that threshold.</param>
public sealed record FoldResult(int Fold, int TrainRows, MetricSet Metrics, double Seconds, double? Threshold, double? CostPerApplicant);

/// <summary>Stratified k-fold results with the pooled out-of-fold predictions.</summary>
/// <param name="Folds">Per-fold results.</param>
/// <param name="OutOfFold">Each row's prediction from the model that did not see it.</param>
public sealed record CrossValidationResult(IReadOnlyList<FoldResult> Folds, double[] OutOfFold);

/// <summary>Runs stratified k-fold cross-validation of a pipeline.</summary>
public sealed class CrossValidator(FeatureLayout layout, TrainerSettings settings, int seed)
{
    /// <summary>Fits on all given rows and returns the trained model.</summary>
    public TrainedModel Fit(MLContext ml, IReadOnlyList<FeatureRow> rows) => TrainedModel.Fit(ml, layout, settings, seed, rows);

    /// <summary>
    /// Cross-validates on <paramref name="rows"/>. With <paramref name="costs"/>, each fold also picks the
    /// cost-minimising threshold from out-of-fold predictions inside its own training rows (an inner
    /// cross-validation), so the reported cost never uses the held-out labels to set the threshold.
    /// </summary>
    public CrossValidationResult Run(IReadOnlyList<FeatureRow> rows, int folds, CostMatrix? costs, Action<string>? progress)
    {
        var labels = rows.Select(r => r.Label).ToArray();
        var assignment = StratifiedFolds.Assign(labels, folds, seed);
        var outOfFold = new double[rows.Count];
        var results = new List<FoldResult>();
        for (var fold = 0; fold < folds; fold++)
        {
            var clock = Stopwatch.StartNew();
            var train = Enumerable.Range(0, rows.Count).Where(i => assignment[i] != fold).Select(i => rows[i]).ToArray();
            var testIndex = Enumerable.Range(0, rows.Count).Where(i => assignment[i] == fold).ToArray();
            var test = testIndex.Select(i => rows[i]).ToArray();
            var ml = new MLContext(seed + fold);
            var model = Fit(ml, train);
            var predicted = model.Predict(ml, test);
            for (var k = 0; k < testIndex.Length; k++)
            {
                outOfFold[testIndex[k]] = predicted[k];
            }

            var testLabels = test.Select(r => r.Label).ToArray();
            double? threshold = null, cost = null;
            if (costs is not null)
            {
                var inner = new CrossValidator(layout, settings, seed + (1000 * (fold + 1)));
                var innerOutOfFold = inner.OutOfFold(train, folds);
                threshold = BinaryMetrics.BestThreshold(
                    [.. train.Select(r => r.Label)], innerOutOfFold, costs.FalseNegative, costs.FalsePositive).Threshold;
                cost = BinaryMetrics.CostPerRow(testLabels, predicted, threshold.Value, costs.FalseNegative, costs.FalsePositive);
            }

            var result = new FoldResult(fold + 1, train.Length, BinaryMetrics.Compute(testLabels, predicted), clock.Elapsed.TotalSeconds, threshold, cost);
            results.Add(result);
            progress?.Invoke(Describe(result, folds));
        }

        return new CrossValidationResult(results, outOfFold);
    }

    /// <summary>Out-of-fold predictions only, without metrics or progress.</summary>
    public double[] OutOfFold(IReadOnlyList<FeatureRow> rows, int folds)
    {
        var assignment = StratifiedFolds.Assign([.. rows.Select(r => r.Label)], folds, seed);
        var outOfFold = new double[rows.Count];
        for (var fold = 0; fold < folds; fold++)
        {
            var ml = new MLContext(seed + fold);
            var model = Fit(ml, [.. Enumerable.Range(0, rows.Count).Where(i => assignment[i] != fold).Select(i => rows[i])]);
            var testIndex = Enumerable.Range(0, rows.Count).Where(i => assignment[i] == fold).ToArray();
            var predicted = model.Predict(ml, [.. testIndex.Select(i => rows[i])]);
            for (var k = 0; k < testIndex.Length; k++)
            {
                outOfFold[testIndex[k]] = predicted[k];
            }
        }

        return outOfFold;
    }

    private static string Describe(FoldResult r, int folds) =>
        FormattableString.Invariant(
            $"fold {r.Fold}/{folds}  AUC {r.Metrics.Auc:F4}  KS {r.Metrics.Ks:F4}  Brier {r.Metrics.Brier:F4}")
        + (r.CostPerApplicant is { } c ? FormattableString.Invariant($"  cost {c:F3} at t={r.Threshold:F3}") : string.Empty)
        + FormattableString.Invariant($"  ({r.Seconds:F1} s)");

    /// <summary>Scored output row read back from ML.NET.</summary>
    public sealed class ProbabilityRow
    {
        /// <summary>Calibrated probability of the positive class.</summary>
        public float Probability { get; set; }
    }
}
