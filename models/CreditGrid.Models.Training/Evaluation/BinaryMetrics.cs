namespace CreditGrid.Models.Training.Evaluation;

/// <summary>One row of a calibration table: a band of predicted probability against the observed rate.</summary>
/// <param name="Bin">1-based decile, lowest predictions first.</param>
/// <param name="Count">Rows in the band.</param>
/// <param name="MinPredicted">Lowest prediction in the band.</param>
/// <param name="MaxPredicted">Highest prediction in the band.</param>
/// <param name="MeanPredicted">Mean predicted probability.</param>
/// <param name="Positives">Observed positives.</param>
/// <param name="ObservedRate">Observed positive rate.</param>
public sealed record CalibrationBin(
    int Bin, int Count, double MinPredicted, double MaxPredicted, double MeanPredicted, int Positives, double ObservedRate);

/// <summary>Ranking and probability metrics of a binary classifier.</summary>
/// <param name="Rows">Rows scored.</param>
/// <param name="Positives">Positive rows among them.</param>
/// <param name="Auc">Area under the ROC curve, ties counted as one half.</param>
/// <param name="Ks">Kolmogorov–Smirnov statistic: the largest gap between the score distributions of the classes.</param>
/// <param name="Brier">Mean squared error of the predicted probability.</param>
public sealed record MetricSet(int Rows, int Positives, double Auc, double Ks, double Brier);

/// <summary>Threshold that minimises misclassification cost, and its cost.</summary>
/// <param name="Threshold">Reject (predict positive) when the probability is at least this value.</param>
/// <param name="TotalCost">Summed cost on the rows it was chosen from.</param>
/// <param name="CostPerRow">Mean cost per row.</param>
public sealed record CostThreshold(double Threshold, double TotalCost, double CostPerRow);

/// <summary>Metric calculations written out so that they can be checked against hand-computed examples.</summary>
public static class BinaryMetrics
{
    /// <summary>All three headline metrics.</summary>
    public static MetricSet Compute(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities) =>
        new(labels.Count, labels.Count(l => l), Auc(labels, probabilities), Ks(labels, probabilities), Brier(labels, probabilities));

    /// <summary>
    /// ROC AUC as the Mann–Whitney statistic: the chance that a random positive scores above a random negative.
    /// Tied scores get their average rank, which counts a tie as one half.
    /// </summary>
    public static double Auc(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        var (positives, negatives) = Counts(labels);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            // Ranks are 1-based, so the tie group [start, end] shares the rank (start + end) / 2 + 1.
            var rank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]])
                {
                    positiveRankSum += rank;
                }
            }

            start = end + 1;
        }

        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>KS: the maximum over thresholds of |TPR − FPR|, moving through tied scores as one step.</summary>
    public static double Ks(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        var (positives, negatives) = Counts(labels);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double truePositives = 0, falsePositives = 0, best = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end < order.Length && scores[order[end]] == scores[order[start]])
            {
                if (labels[order[end]])
                {
                    truePositives++;
                }
                else
                {
                    falsePositives++;
                }

                end++;
            }

            best = Math.Max(best, Math.Abs((truePositives / positives) - (falsePositives / negatives)));
            start = end;
        }

        return best;
    }

    /// <summary>Brier score: mean of (p − y)².</summary>
    public static double Brier(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities)
    {
        double sum = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var error = probabilities[i] - (labels[i] ? 1 : 0);
            sum += error * error;
        }

        return sum / labels.Count;
    }

    /// <summary>
    /// Sorts rows by predicted probability and cuts them into <paramref name="bins"/> bands of equal count
    /// (deciles by default), comparing mean prediction with the observed positive rate in each band.
    /// </summary>
    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities, int bins = 10)
    {
        var order = Enumerable.Range(0, probabilities.Count).OrderBy(i => probabilities[i]).ToArray();
        var table = new List<CalibrationBin>(bins);
        for (var b = 0; b < bins; b++)
        {
            var from = (int)((long)b * order.Length / bins);
            var to = (int)((long)(b + 1) * order.Length / bins);
            if (to <= from)
            {
                continue;
            }

            var members = order[from..to];
            var positives = members.Count(i => labels[i]);
            table.Add(new CalibrationBin(
                b + 1,
                members.Length,
                probabilities[members[0]],
                probabilities[members[^1]],
                members.Average(i => probabilities[i]),
                positives,
                (double)positives / members.Length));
        }

        return table;
    }

    /// <summary>
    /// The threshold t minimising cost when rows with p ≥ t are rejected: each positive accepted costs
    /// <paramref name="costFalseNegative"/>, each negative rejected costs <paramref name="costFalsePositive"/>.
    /// </summary>
    public static CostThreshold BestThreshold(
        IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities, double costFalseNegative, double costFalsePositive)
    {
        var order = Enumerable.Range(0, probabilities.Count).OrderBy(i => probabilities[i]).ToArray();
        var positives = labels.Count(l => l);

        // Start with t above every prediction (accept everyone) and lower t one tie group at a time.
        double bestCost = costFalseNegative * positives, cost = bestCost;
        var bestThreshold = double.PositiveInfinity;
        for (var end = order.Length; end > 0;)
        {
            var start = end - 1;
            while (start > 0 && probabilities[order[start - 1]] == probabilities[order[end - 1]])
            {
                start--;
            }

            for (var k = start; k < end; k++)
            {
                cost += labels[order[k]] ? -costFalseNegative : costFalsePositive;
            }

            if (cost < bestCost)
            {
                bestCost = cost;

                // Half-way to the next lower prediction generalises better than sitting on a training score.
                bestThreshold = start > 0
                    ? (probabilities[order[start]] + probabilities[order[start - 1]]) / 2
                    : probabilities[order[start]];
            }

            end = start;
        }

        return new CostThreshold(bestThreshold, bestCost, bestCost / labels.Count);
    }

    /// <summary>Cost per row when rows with p ≥ <paramref name="threshold"/> are rejected.</summary>
    public static double CostPerRow(
        IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities, double threshold, double costFalseNegative, double costFalsePositive)
    {
        double cost = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var rejected = probabilities[i] >= threshold;
            cost += labels[i] && !rejected ? costFalseNegative : !labels[i] && rejected ? costFalsePositive : 0;
        }

        return cost / labels.Count;
    }

    /// <summary>Mean and sample standard deviation.</summary>
    public static (double Mean, double Sd) MeanSd(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return (mean, sd);
    }

    private static (int Positives, int Negatives) Counts(IReadOnlyList<bool> labels)
    {
        var positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException("ranking metrics need both classes", nameof(labels));
        }

        return (positives, negatives);
    }
}
