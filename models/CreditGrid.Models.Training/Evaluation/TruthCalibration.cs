using CreditGrid.Models.Training.Data;

namespace CreditGrid.Models.Training.Evaluation;

/// <summary>One decile of predicted probability with the mean true probability and the observed rate.</summary>
/// <param name="Bin">1 = lowest predictions.</param>
/// <param name="Count">Rows in the decile.</param>
/// <param name="MeanPredicted">Mean predicted probability.</param>
/// <param name="MeanTrue">Mean of the true-probability column.</param>
/// <param name="ObservedRate">Share of positive labels.</param>
public sealed record TruthBin(int Bin, int Count, double MeanPredicted, double MeanTrue, double ObservedRate);

/// <summary>Predicted against true probability, for simulated data where the truth is known.</summary>
public static class TruthCalibration
{
    /// <exception cref="InputDataException">The column is absent or holds a value that is not a probability.</exception>
    public static IReadOnlyList<TruthBin> Compute(CsvTable table, string column, bool[] labels, IReadOnlyList<double> predicted, string source, int bins = 10)
    {
        var index = table.IndexOf(column);
        if (index < 0)
        {
            throw new InputDataException($"{source}: no truth column '{column}'");
        }

        var truth = new double[table.Rows.Count];
        for (var r = 0; r < truth.Length; r++)
        {
            truth[r] = FeatureLayout.TryParseNumber(table.Rows[r][index]) is { } p and >= 0 and <= 1
                ? p
                : throw new InputDataException($"{source}: truth column '{column}' has '{table.Rows[r][index]}' on line {table.LineNumbers[r]}, not a probability");
        }

        var order = Enumerable.Range(0, predicted.Count).OrderBy(i => predicted[i]).ToArray();
        var result = new List<TruthBin>(bins);
        for (var b = 0; b < bins; b++)
        {
            var members = order[(int)((long)b * order.Length / bins)..(int)((long)(b + 1) * order.Length / bins)];
            if (members.Length > 0)
            {
                result.Add(new TruthBin(b + 1, members.Length, members.Average(i => predicted[i]), members.Average(i => truth[i]), members.Count(i => labels[i]) / (double)members.Length));
            }
        }

        return result;
    }
}
