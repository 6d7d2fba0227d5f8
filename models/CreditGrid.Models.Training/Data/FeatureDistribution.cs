namespace CreditGrid.Models.Training.Data;

/// <summary>
/// The training distribution of every numeric feature, saved inside the model file so that live inputs can be
/// compared with it (population stability index) without the training data.
/// </summary>
/// <param name="Features">One entry per numeric column, in layout order.</param>
public sealed record FeatureDistribution(IReadOnlyList<FeatureBins> Features)
{
    /// <summary>Quantile bins per feature; ten as is usual for PSI.</summary>
    public const int Bins = 10;

    /// <summary>Decile edges and shares of each numeric column of <paramref name="rows"/>.</summary>
    public static FeatureDistribution FromRows(FeatureLayout layout, IReadOnlyList<FeatureRow> rows)
    {
        var numeric = layout.Numeric;
        var features = new List<FeatureBins>(numeric.Count);
        for (var c = 0; c < numeric.Count; c++)
        {
            var values = rows.Select(r => r.Numeric[c]).Where(float.IsFinite).Select(v => (double)v).Order().ToArray();
            var edges = new SortedSet<double>();
            for (var q = 1; q < Bins && values.Length > 0; q++)
            {
                edges.Add(values[(int)((long)q * values.Length / Bins)]);
            }

            var upper = edges.ToArray();
            var counts = new long[upper.Length + 2];
            foreach (var row in rows)
            {
                counts[FeatureBins.BinOf(upper, row.Numeric[c])]++;
            }

            features.Add(new FeatureBins(numeric[c].Name, upper, [.. counts.Select(n => rows.Count == 0 ? 0 : (double)n / rows.Count)]));
        }

        return new FeatureDistribution(features);
    }
}

/// <summary>
/// One feature's bins: value v falls in bin i when it is below <c>UpperEdges[i]</c> and not below the previous edge;
/// values at or above the last edge fall in the bin after it, and missing values in the last bin of all.
/// </summary>
/// <param name="Name">Column name.</param>
/// <param name="UpperEdges">Exclusive upper edges, ascending.</param>
/// <param name="Shares">Training share of each bin; <c>UpperEdges.Count + 2</c> entries, the last for missing.</param>
public sealed record FeatureBins(string Name, IReadOnlyList<double> UpperEdges, IReadOnlyList<double> Shares)
{
    /// <summary>The bin of <paramref name="value"/>.</summary>
    public static int BinOf(IReadOnlyList<double> upperEdges, float value)
    {
        if (!float.IsFinite(value))
        {
            return upperEdges.Count + 1;
        }

        var bin = 0;
        while (bin < upperEdges.Count && value >= upperEdges[bin])
        {
            bin++;
        }

        return bin;
    }
}
