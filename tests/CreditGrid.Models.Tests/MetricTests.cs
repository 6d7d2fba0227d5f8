using CreditGrid.Models.Training.Evaluation;

namespace CreditGrid.Models.Tests;

public sealed class MetricTests
{
    // Positives scored 0.9, 0.6, 0.4; negatives 0.8, 0.3, 0.2, 0.1.
    private static readonly bool[] Labels = [true, false, true, true, false, false, false];
    private static readonly double[] Scores = [0.9, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1];

    [Fact]
    public void AucCountsOrderedPairs()
    {
        // Of 3 × 4 = 12 positive–negative pairs only (0.6, 0.8) and (0.4, 0.8) are misordered: 10/12.
        Assert.Equal(10.0 / 12, BinaryMetrics.Auc(Labels, Scores), 12);
    }

    [Fact]
    public void AucCountsATieAsOneHalf()
    {
        // Pairs: (0.5, 0.5) tie = 1/2, (0.5, 0.1), (0.9, 0.5) and (0.9, 0.1) ordered = 3; so 3.5 of 4.
        Assert.Equal(0.875, BinaryMetrics.Auc([true, false, true, false], [0.5, 0.5, 0.9, 0.1]), 12);
    }

    [Fact]
    public void KsIsTheLargestGapBetweenTheCumulativeRates()
    {
        // Cutting below 0.4: TPR = 3/3, FPR = 1/4, so KS = 0.75; no other cut does better.
        Assert.Equal(0.75, BinaryMetrics.Ks(Labels, Scores), 12);
    }

    [Fact]
    public void KsStepsThroughTiedScoresTogether() =>
        Assert.Equal(0.5, BinaryMetrics.Ks([true, false, true, false], [0.5, 0.5, 0.9, 0.1]), 12);

    [Fact]
    public void BrierIsTheMeanSquaredProbabilityError() =>
        Assert.Equal(((0.2 * 0.2) + (0.4 * 0.4) + (0.5 * 0.5)) / 3, BinaryMetrics.Brier([true, false, true], [0.8, 0.4, 0.5]), 12);

    [Fact]
    public void CalibrationSplitsIntoEqualCountBandsOfRisingProbability()
    {
        var probabilities = Enumerable.Range(0, 20).Select(i => i / 20.0).ToArray();
        var labels = probabilities.Select(p => p >= 0.5).ToArray();

        var table = BinaryMetrics.Calibration(labels, probabilities);

        Assert.Equal(10, table.Count);
        Assert.All(table, b => Assert.Equal(2, b.Count));
        Assert.Equal(0.025, table[0].MeanPredicted, 12);
        Assert.Equal(0, table[4].ObservedRate);
        Assert.Equal(1, table[5].ObservedRate);
        Assert.Equal(0.95, table[9].MaxPredicted, 12);
    }

    [Fact]
    public void BestThresholdMinimisesTheCostMatrix()
    {
        // With a bad accepted costing 5 and a good rejected 1, rejecting everything scored ≥ 0.4 costs 1
        // (the negative at 0.8); any higher cut accepts a positive for 5, any lower one rejects more negatives.
        var best = BinaryMetrics.BestThreshold(Labels, Scores, costFalseNegative: 5, costFalsePositive: 1);

        Assert.Equal(1, best.TotalCost);
        Assert.Equal(0.35, best.Threshold, 12);
        Assert.Equal(1.0 / 7, BinaryMetrics.CostPerRow(Labels, Scores, best.Threshold, 5, 1), 12);
    }

    [Fact]
    public void MeanAndSampleStandardDeviation()
    {
        var (mean, sd) = BinaryMetrics.MeanSd([1, 2, 3, 4]);

        Assert.Equal(2.5, mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), sd, 12);
    }
}
