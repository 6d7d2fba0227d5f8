using CreditGrid.Grains.PreCredit;
using CreditGrid.Models.Training.Serving;

namespace CreditGrid.Grains.Tests.PreCredit;

/// <summary>The reasons and positive factors a bank reads: the three largest contributions each way, in order.</summary>
public sealed class DecisionFactorsTests
{
    private static readonly Lazy<ServingModel> Model = new(() => ServingModel.Load(ShippedModelPath()));

    [Fact]
    public void TheLargestContributionsEachWayAreListedLargestFirstTiesInFeatureOrder()
    {
        var model = Model.Value;
        var random = new Random(4);
        for (var n = 0; n < 2_000; n++)
        {
            // Few distinct values, many zeros: ties and short lists are common.
            var contributions = Enumerable.Range(0, model.FeatureNames.Count).Select(_ => (float)(random.Next(-4, 5) * 0.25)).ToArray();
            var input = Enumerable.Range(0, contributions.Length).Select(i => (float)i).ToArray();

            var (adverse, positive) = DecisionComposer.Factors(model, input, new ModelScore(0.1, contributions));

            var all = model.FeatureNames.Select((name, i) => new FactorView(name, input[i], contributions[i])).ToArray();
            Assert.Equal(all.Where(f => f.Contribution > 0).OrderByDescending(f => f.Contribution).Take(3), adverse);
            Assert.Equal(all.Where(f => f.Contribution < 0).OrderBy(f => f.Contribution).Take(3), positive);
        }
    }

    private static string ShippedModelPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CreditGrid.slnx")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory!.FullName, "models", "shipped", "precredit-default.zip");
    }
}
