using CreditGrid.Models.Training.Data;
using Microsoft.ML;

namespace CreditGrid.Models.Training.Training;

/// <summary>
/// A fitted model: the derived features it needs and one or more ML.NET members whose calibrated probabilities are
/// averaged. A plain run has no derived features and a single member, and is saved exactly as ML.NET saves it.
/// </summary>
/// <param name="Layout">The file's columns, as rows are read.</param>
/// <param name="Engineering">Derived features appended before the members see a row.</param>
/// <param name="Members">The fitted pipelines, each reading <see cref="FeatureEngineering.Extend"/> of the layout.</param>
public sealed record TrainedModel(FeatureLayout Layout, FeatureEngineering Engineering, IReadOnlyList<ITransformer> Members)
{
    /// <summary>The layout the members read.</summary>
    public FeatureLayout MemberLayout => Engineering.Extend(Layout);

    /// <summary>True for a single member over the file's own columns.</summary>
    public bool IsPlain => Members.Count == 1 && Engineering.IsEmpty;

    /// <summary>Fits the settings' members on <paramref name="rows"/>; derived features are chosen from these rows only.</summary>
    public static TrainedModel Fit(MLContext ml, FeatureLayout layout, TrainerSettings settings, int seed, IReadOnlyList<FeatureRow> rows)
    {
        var engineering = FeatureEngineering.Fit(layout, rows, settings.MissingCount, settings.RatioTop);
        var memberLayout = engineering.Extend(layout);
        var derived = engineering.Apply(rows);
        var members = new List<ITransformer>();
        for (var bag = 0; bag < Math.Max(1, settings.Bags); bag++)
        {
            var memberSeed = seed + (7919 * bag);
            var sample = settings.Bootstrap && settings.Bags > 1 ? BootstrapSample(derived, memberSeed) : derived;
            var data = ModelPipeline.Load(ml, memberLayout, ModelPipeline.Weighted(sample, settings));
            members.Add(ModelPipeline.Build(ml, memberLayout, settings, memberSeed).Fit(data));
        }

        return new TrainedModel(layout, engineering, members);
    }

    /// <summary>Mean probability of the members for each row (rows in <see cref="Layout"/> form), in order.</summary>
    public double[] Predict(MLContext ml, IReadOnlyList<FeatureRow> rows)
    {
        var data = ModelPipeline.Load(ml, MemberLayout, Engineering.Apply(rows));
        var sum = new double[rows.Count];
        foreach (var member in Members)
        {
            var i = 0;
            foreach (var p in ml.Data.CreateEnumerable<CrossValidator.ProbabilityRow>(member.Transform(data), reuseRowObject: true))
            {
                sum[i++] += p.Probability;
            }
        }

        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] /= Members.Count;
        }

        return sum;
    }

    // Drawn per class so that every member sees the class ratio of the training rows.
    private static FeatureRow[] BootstrapSample(IReadOnlyList<FeatureRow> rows, int seed)
    {
        var random = new Random(seed);
        var positives = rows.Where(r => r.Label).ToArray();
        var negatives = rows.Where(r => !r.Label).ToArray();
        return
        [
            .. Enumerable.Range(0, positives.Length).Select(_ => positives[random.Next(positives.Length)]),
            .. Enumerable.Range(0, negatives.Length).Select(_ => negatives[random.Next(negatives.Length)]),
        ];
    }
}
