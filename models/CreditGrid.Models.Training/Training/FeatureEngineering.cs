using System.Text.Json.Serialization;
using CreditGrid.Models.Training.Data;

namespace CreditGrid.Models.Training.Training;

/// <summary>A derived feature: the ratio of two numeric columns of the layout.</summary>
/// <param name="Numerator">Position of the numerator in the layout's numeric columns.</param>
/// <param name="Denominator">Position of the denominator in the layout's numeric columns.</param>
public sealed record RatioFeature(int Numerator, int Denominator);

/// <summary>
/// Numeric features derived from the layout's own columns, fitted on training rows only and stored with the model
/// so that scoring derives exactly the same columns. Trees split on one column at a time, so a relation between two
/// columns (a ratio) or a property of the whole row (how much of it is missing) is hard for them to find alone.
/// </summary>
/// <param name="MissingCount">Append the number of missing numeric values of the row.</param>
/// <param name="Ratios">Appended ratios, in order.</param>
public sealed record FeatureEngineering(bool MissingCount, IReadOnlyList<RatioFeature> Ratios)
{
    /// <summary>Name of the appended missing-count column.</summary>
    public const string MissingCountColumn = "engineered:missing_count";

    /// <summary>True when nothing is derived.</summary>
    [JsonIgnore]
    public bool IsEmpty => !MissingCount && Ratios.Count == 0;

    /// <summary>
    /// Chooses the derived features from training rows. The ratio candidates are the <paramref name="ratioTop"/>
    /// numeric columns that separate the classes best on their own (univariate AUC away from 0.5, scaled by the share
    /// of rows where the column is present); every pair of them becomes one ratio.
    /// </summary>
    public static FeatureEngineering Fit(FeatureLayout layout, IReadOnlyList<FeatureRow> rows, bool missingCount, int ratioTop)
    {
        var top = ratioTop < 2 ? [] : RankColumns(layout, rows).Take(ratioTop).ToArray();
        var ratios = new List<RatioFeature>();
        for (var a = 0; a < top.Length; a++)
        {
            for (var b = a + 1; b < top.Length; b++)
            {
                ratios.Add(new RatioFeature(top[a], top[b]));
            }
        }

        return new FeatureEngineering(missingCount, ratios);
    }

    /// <summary>The layout the learner sees: the original columns followed by the derived ones.</summary>
    public FeatureLayout Extend(FeatureLayout layout)
    {
        if (IsEmpty)
        {
            return layout;
        }

        var numeric = layout.Numeric;
        var added = new List<FeatureColumn>();
        if (MissingCount)
        {
            added.Add(new FeatureColumn(MissingCountColumn, ColumnKind.Numeric, 0, 0));
        }

        added.AddRange(Ratios.Select(r => new FeatureColumn($"engineered:{numeric[r.Numerator].Name}/{numeric[r.Denominator].Name}", ColumnKind.Numeric, 0, 0)));
        return layout with { Columns = [.. layout.Columns, .. added] };
    }

    /// <summary>Rows with the derived values appended to their numeric vector; the input rows are not modified.</summary>
    public IReadOnlyList<FeatureRow> Apply(IReadOnlyList<FeatureRow> rows)
    {
        if (IsEmpty)
        {
            return rows;
        }

        var extra = (MissingCount ? 1 : 0) + Ratios.Count;
        return [.. rows.Select(r =>
        {
            var numeric = new float[r.Numeric.Length + extra];
            r.Numeric.CopyTo(numeric, 0);
            var next = r.Numeric.Length;
            if (MissingCount)
            {
                numeric[next++] = r.Numeric.Count(float.IsNaN);
            }

            foreach (var ratio in Ratios)
            {
                var top = r.Numeric[ratio.Numerator];
                var bottom = r.Numeric[ratio.Denominator];
                numeric[next++] = float.IsNaN(top) || float.IsNaN(bottom) || bottom == 0 ? float.NaN : top / bottom;
            }

            return new FeatureRow { Numeric = numeric, OneHot = r.OneHot, Hashed = r.Hashed, Label = r.Label, Weight = r.Weight };
        })];
    }

    /// <summary>Numeric column positions, best single separator first.</summary>
    internal static IEnumerable<int> RankColumns(FeatureLayout layout, IReadOnlyList<FeatureRow> rows)
    {
        var count = layout.Numeric.Count;
        var strength = new double[count];
        for (var c = 0; c < count; c++)
        {
            var present = rows.Where(r => !float.IsNaN(r.Numeric[c])).ToArray();
            if (present.Length == 0 || present.All(r => r.Label) || present.All(r => !r.Label))
            {
                continue;
            }

            var auc = Evaluation.BinaryMetrics.Auc([.. present.Select(r => r.Label)], [.. present.Select(r => (double)r.Numeric[c])]);
            strength[c] = Math.Abs(auc - 0.5) * present.Length / rows.Count;
        }

        return Enumerable.Range(0, count).OrderByDescending(c => strength[c]).ThenBy(c => c);
    }
}
