using CreditGrid.Models.Training.Evaluation;

namespace CreditGrid.Models.Tests;

public sealed class StratifiedFoldsTests
{
    [Theory]
    [InlineData(1000, 37, 5, 42)]
    [InlineData(7027, 271, 5, 1)]
    [InlineData(101, 10, 3, 9)]
    public void EveryFoldKeepsTheClassRatio(int rows, int positives, int folds, int seed)
    {
        var labels = Enumerable.Range(0, rows).Select(i => i % (rows / positives) == 0 && i / (rows / positives) < positives).ToArray();
        var totalPositives = labels.Count(l => l);

        var assignment = StratifiedFolds.Assign(labels, folds, seed);

        for (var fold = 0; fold < folds; fold++)
        {
            var members = Enumerable.Range(0, rows).Where(i => assignment[i] == fold).ToArray();
            var foldPositives = members.Count(i => labels[i]);
            Assert.InRange(foldPositives, totalPositives / folds, (totalPositives / folds) + 1);
            Assert.InRange(members.Length, rows / folds, (rows / folds) + 1);
        }
    }

    [Fact]
    public void SameSeedSameFoldsDifferentSeedDifferentFolds()
    {
        var labels = Enumerable.Range(0, 200).Select(i => i % 5 == 0).ToArray();

        Assert.Equal(StratifiedFolds.Assign(labels, 5, 42), StratifiedFolds.Assign(labels, 5, 42));
        Assert.NotEqual(StratifiedFolds.Assign(labels, 5, 42), StratifiedFolds.Assign(labels, 5, 43));
    }

    [Fact]
    public void TooFewRowsOfAClassIsRefused() =>
        Assert.Throws<ArgumentException>(() => StratifiedFolds.Assign([true, true, false, false, false, false], 3, 0));
}
