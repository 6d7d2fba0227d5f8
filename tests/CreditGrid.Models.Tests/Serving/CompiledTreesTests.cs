using CreditGrid.Models.Training.Serving;

namespace CreditGrid.Models.Tests.Serving;

/// <summary>The shipped model's compiled trees against ML.NET's prediction engine and contribution calculator.</summary>
public sealed class CompiledTreesTests
{
    private static readonly Lazy<ServingModel> Model = new(() => ServingModel.Load(ShippedModel.Path));

    [Fact]
    public void TheShippedModelIsServedByItsCompiledTrees() => Assert.True(Model.Value.IsCompiled);

    [Fact]
    public void TheShippedModelsEightLeafTreesAreEvaluatedByTable() => Assert.Equal("tables", Model.Value.Evaluation);

    /// <summary>
    /// Random profiles over each feature's plausible range, a third of the values placed exactly on one of the
    /// model's split thresholds or one float above it (where a &lt; against ≤ or a float/double slip would show).
    /// </summary>
    [Fact]
    public void ProbabilityAndEveryContributionEqualMlNetsOnRandomProfiles()
    {
        var model = Model.Value;
        var random = new Random(5);
        var worstProbability = 0.0;
        var worstContribution = 0.0;
        for (var n = 0; n < 3_000; n++)
        {
            var profile = RandomProfile(model, random);

            var compiled = model.Score(profile);
            var engine = model.ScoreWithEngine(profile);

            worstProbability = Math.Max(worstProbability, Math.Abs(compiled.Probability - engine.Probability));
            Assert.Equal(engine.Contributions.Length, compiled.Contributions.Length);
            for (var i = 0; i < engine.Contributions.Length; i++)
            {
                worstContribution = Math.Max(worstContribution, Math.Abs(compiled.Contributions[i] - engine.Contributions[i]));
            }
        }

        Assert.True(worstProbability <= 1e-7, $"probability differs by up to {worstProbability:E2}");
        Assert.True(worstContribution <= 1e-5, $"a contribution differs by up to {worstContribution:E2}");
    }

    [Fact]
    public void ContributionsOrderTheFeaturesAsMlNetDoes()
    {
        var model = Model.Value;
        var random = new Random(11);
        for (var n = 0; n < 300; n++)
        {
            var profile = RandomProfile(model, random);

            // The decision lists the three largest each way; the order is what a bank reads.
            Assert.Equal(Top(model.ScoreWithEngine(profile).Contributions), Top(model.Score(profile).Contributions));
        }
    }

    [Fact]
    public void TheMonotoneEnvelopeEqualsTheEnvelopeScoredByMlNet()
    {
        var model = Model.Value;
        var at = model.IndexOf("composite_score");
        var random = new Random(17);
        for (var n = 0; n < 300; n++)
        {
            var profile = RandomProfile(model, random);
            var start = MathF.Floor(Math.Clamp(profile[at], 0, 1000) / 25) * 25;
            var engine = 0.0;
            for (var g = start; g <= 1000f; g += 25)
            {
                var probe = (float[])profile.Clone();
                probe[at] = g;
                engine = Math.Max(engine, model.ScoreWithEngine(probe).Probability);
            }

            Assert.Equal(engine, model.NonIncreasingIn(profile, at, 0, 25, 1000), 7);
        }
    }

    [Fact]
    public void ARowWithAMissingValueIsScoredByMlNet()
    {
        var model = Model.Value;
        var profile = RandomProfile(model, new Random(3));
        profile[model.IndexOf("utility_on_time_rate_12")] = float.NaN;

        var score = model.Score(profile);
        var engine = model.ScoreWithEngine(profile);

        Assert.Equal(engine.Probability, score.Probability);
        Assert.Equal(engine.Contributions, score.Contributions);
    }

    private static int[] Top(float[] contributions) =>
        [.. contributions.Select((c, i) => (c, i)).Where(x => x.c > 0).OrderByDescending(x => x.c).Take(3).Select(x => x.i),
         .. contributions.Select((c, i) => (c, i)).Where(x => x.c < 0).OrderBy(x => x.c).Take(3).Select(x => x.i)];

    private static float[] RandomProfile(ServingModel model, Random random)
    {
        var ranges = new Dictionary<string, (float Low, float High)>
        {
            ["composite_score"] = (-50, 1050),
            ["tax_rating"] = (-2, 4),
            ["log_annual_tax_paid"] = (0, 8),
            ["log_annual_invoice_sales"] = (0, 9),
            ["age_months"] = (0, 360),
            ["utility_months_12"] = (0, 12),
            ["utility_on_time_rate_12"] = (0, 1),
            ["utility_max_overdue_days_12"] = (0, 120),
            ["social_insurance_arrears_months"] = (0, 12),
            ["penalties_24m"] = (0, 6),
            ["serious_penalties_24m"] = (0, 3),
            ["court_losses_24m"] = (0, 4),
            ["contracts_fulfilled_24m"] = (0, 10),
            ["contract_breaches_24m"] = (0, 5),
            ["open_warnings"] = (0, 4),
            ["restricted_consumption"] = (0, 1),
        };
        var profile = new float[model.FeatureNames.Count];
        for (var i = 0; i < profile.Length; i++)
        {
            var (low, high) = ranges[model.FeatureNames[i]];
            var value = low + ((float)random.NextDouble() * (high - low));
            var cuts = model.SplitThresholdsOf(i);
            profile[i] = random.Next(3) switch
            {
                0 when cuts.Count > 0 => cuts[random.Next(cuts.Count)],
                1 when cuts.Count > 0 => MathF.BitIncrement(cuts[random.Next(cuts.Count)]),
                _ => high - low <= 12 ? MathF.Round(value) : value,
            };
        }

        return profile;
    }
}
