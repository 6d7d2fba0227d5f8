using CreditGrid.Models.Training.Data;
using CreditGrid.Models.Training.Training;
using Microsoft.ML;

namespace CreditGrid.Models.Training.Evaluation;

/// <summary>Metrics of a saved model on a file it was not trained on.</summary>
/// <param name="Metrics">AUC, KS and Brier score.</param>
/// <param name="Calibration">Deciles of predicted probability against the observed rate.</param>
public sealed record EvaluationOutcome(MetricSet Metrics, IReadOnlyList<CalibrationBin> Calibration);

/// <summary>The evaluate command's work.</summary>
public static class HeldOutEvaluation
{
    /// <summary>Scores <paramref name="dataPath"/> with the model and compares with its labels.</summary>
    /// <exception cref="InputDataException">The model or data cannot be used.</exception>
    public static EvaluationOutcome Execute(string modelPath, string dataPath, string? label, Action<string> progress)
    {
        var ml = new MLContext(0);
        var model = ModelFile.Load(ml, modelPath);
        var layout = model.Layout;
        var source = Path.GetFileName(dataPath);
        var table = CsvTable.Load(dataPath);
        var labels = LabelParser.ParseColumn(table, label ?? layout.Label, source);
        var rows = layout.ToRows(table, labels, source);
        var predicted = model.Predict(ml, rows);
        var outcome = new EvaluationOutcome(BinaryMetrics.Compute(labels, predicted), BinaryMetrics.Calibration(labels, predicted));
        var m = outcome.Metrics;
        progress(FormattableString.Invariant($"{source}: {m.Rows} rows, {m.Positives} positives"));
        progress(FormattableString.Invariant($"AUC {m.Auc:F4}  KS {m.Ks:F4}  Brier {m.Brier:F4}"));
        progress("calibration (decile: rows, mean predicted, observed rate)");
        foreach (var bin in outcome.Calibration)
        {
            progress(FormattableString.Invariant($"  {bin.Bin,2}: {bin.Count,6}  {bin.MeanPredicted,8:F4}  {bin.ObservedRate,8:F4}"));
        }

        return outcome;
    }
}
