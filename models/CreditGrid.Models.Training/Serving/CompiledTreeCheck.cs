namespace CreditGrid.Models.Training.Serving;

/// <summary>
/// The load-time check that a model's compiled trees give ML.NET's answers: rows are built on and around the model's
/// own split thresholds (where a wrong comparison or a transformed input would show) and scored both ways.
/// </summary>
internal static class CompiledTreeCheck
{
    private const int Rows = 64;

    /// <summary>Largest difference in probability accepted: float rounding of the same arithmetic.</summary>
    public const double ProbabilityTolerance = 1e-6;

    /// <summary>Largest difference in a contribution accepted, absolute plus relative (float sums in another order).</summary>
    public const double ContributionTolerance = 1e-4;

    public static bool Agrees(ServingModel model, float[]?[]? splitThresholds, int columns)
    {
        var random = new Random(20231);
        for (var n = 0; n < Rows; n++)
        {
            var row = new float[columns];
            for (var c = 0; c < columns; c++)
            {
                var cuts = splitThresholds?[c];
                row[c] = cuts is { Length: > 0 }
                    ? random.Next(3) switch
                    {
                        0 => cuts[random.Next(cuts.Length)],
                        1 => MathF.BitIncrement(cuts[random.Next(cuts.Length)]),
                        _ => cuts[random.Next(cuts.Length)] + ((float)random.NextDouble() * 10) - 5,
                    }
                    : (float)(random.NextDouble() * 100);
            }

            if (!Same(model.Score(row), model.ScoreWithEngine(row)))
            {
                return false;
            }
        }

        return true;
    }

    public static bool Same(ModelScore compiled, ModelScore engine)
    {
        if (Math.Abs(compiled.Probability - engine.Probability) > ProbabilityTolerance || compiled.Contributions.Length != engine.Contributions.Length)
        {
            return false;
        }

        for (var i = 0; i < compiled.Contributions.Length; i++)
        {
            var (a, b) = (compiled.Contributions[i], engine.Contributions[i]);
            if (Math.Abs(a - b) > ContributionTolerance * (1 + Math.Abs(b)))
            {
                return false;
            }
        }

        return true;
    }
}
