namespace CreditGrid.Models.Training.Data;

/// <summary>
/// One example as the ML pipeline sees it. The vector widths depend on the file, so they are fixed through a
/// schema definition at load time rather than by attributes.
/// </summary>
public sealed class FeatureRow
{
    /// <summary>Numeric features, NaN where missing.</summary>
    public float[] Numeric { get; set; } = [];

    /// <summary>"column=value" tokens of the one-hot columns.</summary>
    public string[] OneHot { get; set; } = [];

    /// <summary>"column=value" tokens of the hashed columns.</summary>
    public string[] Hashed { get; set; } = [];

    /// <summary>True for the positive (bad, bankrupt) class.</summary>
    public bool Label { get; set; }

    /// <summary>Example weight, used when the class imbalance is handled by weighting.</summary>
    public float Weight { get; set; } = 1f;
}
