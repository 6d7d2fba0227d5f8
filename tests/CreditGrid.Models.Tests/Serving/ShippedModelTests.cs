using CreditGrid.Models.Training.Serving;

namespace CreditGrid.Models.Tests.Serving;

/// <summary>The shipped pre-credit model as the gateway serves it.</summary>
public sealed class ShippedModelTests
{
    private static readonly Lazy<ServingModel> Model = new(() => ServingModel.Load(ShippedPath));

    private static string ShippedPath => ShippedModel.Path;

    [Fact]
    public void TheShippedModelLoadsWithItsTrainingDistributionAndStaysSmall()
    {
        var model = Model.Value;

        Assert.Equal(16, model.FeatureNames.Count);
        Assert.Equal("composite_score", model.FeatureNames[0]);
        Assert.NotNull(model.Distribution);
        Assert.Equal(model.FeatureNames, model.Distribution.Features.Select(f => f.Name));
        Assert.All(model.Distribution.Features, f => Assert.Equal(1.0, f.Shares.Sum(), 6));
        Assert.InRange(new FileInfo(ShippedPath).Length, 1, 3 * 1024 * 1024);
    }

    [Fact]
    public void ContributionsExplainTheScoreOfEachRow()
    {
        var model = Model.Value;
        var good = Profile(score: 850, onTime: 1f, breaches: 0);
        var bad = Profile(score: 520, onTime: 0.5f, breaches: 3);

        var goodScore = model.Score(good);
        var badScore = model.Score(bad);

        Assert.True(badScore.Probability > goodScore.Probability * 3, $"bad {badScore.Probability} good {goodScore.Probability}");
        Assert.Equal(16, badScore.Contributions.Length);

        // The bad profile's worst features push towards default; the good profile's best features push away from it.
        Assert.True(badScore.Contributions[Index("contract_breaches_24m")] > 0);
        Assert.True(goodScore.Contributions[Index("composite_score")] < 0);
    }

    /// <summary>
    /// Over a grid of profiles, raising the composite score never raises the PD a decision uses (the model's
    /// probability under the non-increasing envelope in the score, 25-point grid) — not even by a rounding error.
    /// </summary>
    [Fact]
    public void RaisingTheCompositeScoreNeverRaisesPdBeyondATolerance()
    {
        const double tolerance = 1e-9;
        var model = Model.Value;
        var worst = 0.0;
        foreach (var onTime in new[] { 1f, 0.75f, 0.5f })
        {
            foreach (var breaches in new[] { 0, 1, 3 })
            {
                foreach (var rating in new[] { 3f, 1f, -1f })
                {
                    foreach (var penalties in new[] { 0, 2 })
                    {
                        double? previous = null;
                        for (var score = 300; score <= 1000; score += 7)
                        {
                            var profile = Profile(score, onTime, breaches);
                            profile[Index("tax_rating")] = rating;
                            profile[Index("penalties_24m")] = penalties;
                            var pd = model.NonIncreasingIn(profile, Index("composite_score"), 0, 25, 1000);
                            if (previous is { } p)
                            {
                                worst = Math.Max(worst, pd - p);
                                Assert.True(pd <= p + tolerance, $"PD rose from {p:F4} to {pd:F4} at score {score} (on-time {onTime}, breaches {breaches}, rating {rating}, penalties {penalties})");
                            }

                            previous = pd;
                        }
                    }
                }
            }
        }

        Assert.True(worst < tolerance);
    }

    [Fact]
    public void TheEnvelopeIsTheHighestPdAtThisOrABetterScore()
    {
        var model = Model.Value;
        var profile = Profile(score: 610, onTime: 0.75f, breaches: 1);
        var at = Index("composite_score");
        var expected = 0.0;
        for (var g = 600f; g <= 1000f; g += 25)
        {
            var probe = (float[])profile.Clone();
            probe[at] = g;
            expected = Math.Max(expected, model.Score(probe).Probability);
        }

        Assert.Equal(expected, model.NonIncreasingIn(profile, at, 0, 25, 1000), 6);
        Assert.Equal(610f, profile[at]);
    }

    /// <summary>
    /// The envelope scores only one grid point per run between split thresholds; over random profiles and starting
    /// scores (on and off the grid, below zero, above the top) it must equal scoring every grid point.
    /// </summary>
    [Fact]
    public void TheEnvelopeSkipsOnlyGridPointsThatCannotChangeTheAnswer()
    {
        var model = Model.Value;
        var at = Index("composite_score");
        foreach (var profile in RandomProfiles(seed: 2026, count: 150))
        {
            var start = MathF.Floor(Math.Clamp(profile[at], 0, 1000) / 25) * 25;
            var bruteForce = 0.0;
            for (var g = start; g <= 1000f; g += 25)
            {
                var probe = (float[])profile.Clone();
                probe[at] = g;
                bruteForce = Math.Max(bruteForce, model.Score(probe).Probability);
            }

            Assert.Equal(bruteForce, model.NonIncreasingIn(profile, at, 0, 25, 1000), 6);
        }
    }

    /// <summary>
    /// A decision scores its row and takes its envelope in one call, which evaluates the trees that ignore the score
    /// once for both; over random profiles, with and without a missing value, it must give exactly what the two
    /// separate calls give.
    /// </summary>
    [Fact]
    public void ScoringWithTheEnvelopeInOneCallChangesNoBit()
    {
        var model = Model.Value;
        var at = Index("composite_score");
        var missing = new Random(1949);
        foreach (var profile in RandomProfiles(seed: 1949, count: 300))
        {
            if (missing.Next(10) == 0)
            {
                profile[missing.Next(1, profile.Length)] = float.NaN;
            }

            var (score, pd) = model.ScoreNonIncreasingIn(profile, at, 0, 25, 1000);
            var separate = model.Score(profile);

            Assert.Equal(separate.Probability, score.Probability);
            Assert.Equal(separate.Contributions, score.Contributions);
            Assert.Equal(model.NonIncreasingIn(profile, at, 0, 25, 1000), pd);
        }
    }

    private static int Index(string name) => Model.Value.FeatureNames.ToList().IndexOf(name);

    /// <summary>Profiles with a score from below zero to above the top of the grid and every other feature scaled by 0.5–1.5.</summary>
    private static IEnumerable<float[]> RandomProfiles(int seed, int count)
    {
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var profile = Profile(score: random.Next(-50, 1051), onTime: (float)random.NextDouble(), breaches: random.Next(0, 5));
            for (var i = 1; i < profile.Length; i++)
            {
                profile[i] *= (float)(0.5 + random.NextDouble());
            }

            yield return profile;
        }
    }

    private static float[] Profile(int score, float onTime, int breaches)
    {
        var values = new Dictionary<string, float>
        {
            ["composite_score"] = score,
            ["tax_rating"] = 3,
            ["log_annual_tax_paid"] = 5,
            ["log_annual_invoice_sales"] = 6.5f,
            ["age_months"] = 60,
            ["utility_months_12"] = 12,
            ["utility_on_time_rate_12"] = onTime,
            ["utility_max_overdue_days_12"] = onTime < 1 ? 40 : 0,
            ["social_insurance_arrears_months"] = 0,
            ["penalties_24m"] = 0,
            ["serious_penalties_24m"] = 0,
            ["court_losses_24m"] = 0,
            ["contracts_fulfilled_24m"] = 1,
            ["contract_breaches_24m"] = breaches,
            ["open_warnings"] = 0,
            ["restricted_consumption"] = 0,
        };
        return [.. Model.Value.FeatureNames.Select(n => values[n])];
    }
}
