using System.Text.Json.Serialization;

namespace CreditGrid.Models.Training.Training;

/// <summary>Gradient-boosted tree learner.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TreeLearner>))]
public enum TreeLearner
{
    /// <summary>ML.NET's LightGBM wrapper; treats NaN as missing natively.</summary>
    LightGbm,

    /// <summary>ML.NET's FastTree; no native dependency, so it also runs where libgomp is absent.</summary>
    FastTree,
}

/// <summary>How the rarity of the positive class is compensated.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImbalanceHandling>))]
public enum ImbalanceHandling
{
    /// <summary>No compensation.</summary>
    None,

    /// <summary>LightGBM's is_unbalance option (FastTree falls back to weights).</summary>
    Unbalanced,

    /// <summary>Positives weighted by negatives/positives so both classes carry equal total weight.</summary>
    Weights,
}

/// <summary>LightGBM's boosting scheme.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BoosterKind>))]
public enum BoosterKind
{
    /// <summary>Plain gradient boosting.</summary>
    Gbdt,

    /// <summary>Dropouts meet multiple additive regression trees: each iteration drops a random share of earlier trees.</summary>
    Dart,
}

/// <summary>Hyper-parameters of one training run; recorded verbatim in the model card.</summary>
/// <param name="Preset">Name of the preset these settings started from.</param>
/// <param name="Learner">Tree learner.</param>
/// <param name="Leaves">Maximum leaves per tree.</param>
/// <param name="MinExamplesPerLeaf">Minimum rows in a leaf.</param>
/// <param name="LearningRate">Shrinkage per tree.</param>
/// <param name="Trees">Boosting iterations.</param>
/// <param name="FeatureFraction">Share of features sampled per tree.</param>
/// <param name="Subsample">Share of rows bagged per iteration (1 = no bagging).</param>
/// <param name="L2">L2 regularisation of leaf values.</param>
/// <param name="KeepMissing">Leave NaN for the trees to route instead of imputing the column mean.</param>
/// <param name="Imbalance">Class-imbalance handling.</param>
public sealed record TrainerSettings(
    string Preset,
    TreeLearner Learner,
    int Leaves,
    int MinExamplesPerLeaf,
    double LearningRate,
    int Trees,
    double FeatureFraction,
    double Subsample,
    double L2,
    bool KeepMissing,
    ImbalanceHandling Imbalance)
{
    /// <summary>
    /// Models averaged into one prediction (1 = a single model). Members differ by seed, so they sample different
    /// rows and features; with <see cref="Bootstrap"/> each also trains on its own bootstrap sample.
    /// </summary>
    public int Bags { get; init; } = 1;

    /// <summary>Each bagged member trains on a bootstrap sample (drawn with replacement, per class) of the rows.</summary>
    public bool Bootstrap { get; init; }

    /// <summary>Boosting scheme (LightGBM only).</summary>
    public BoosterKind Booster { get; init; } = BoosterKind.Gbdt;

    /// <summary>With <see cref="BoosterKind.Dart"/>: share of earlier trees dropped per iteration.</summary>
    public double DropRate { get; init; } = 0.1;

    /// <summary>
    /// Give the learner a 0/1 missing indicator beside every numeric column. With NaN kept, LightGBM already routes
    /// missing values at each split, so the indicators mostly add columns for feature sampling to pick.
    /// </summary>
    public bool MissingIndicators { get; init; } = true;

    /// <summary>Append each row's number of missing numeric values as a feature.</summary>
    public bool MissingCount { get; init; }

    /// <summary>
    /// Append the pairwise ratios of this many numeric columns, the best single separators of the training rows
    /// (0 = none). Chosen inside each cross-validation fold, so the held-out rows never influence the choice.
    /// </summary>
    public int RatioTop { get; init; }

    /// <summary>True when the settings produce more than one plain model over the file's own columns.</summary>
    [JsonIgnore]
    public bool IsComposite => Bags > 1 || MissingCount || RatioTop >= 2;

    /// <summary>Name of the default preset.</summary>
    public const string DefaultPreset = "tuned";

    /// <summary>Name of the averaged-models preset.</summary>
    public const string EnsemblePreset = "ensemble";

    /// <summary>
    /// Named starting points. "baseline" is ML.NET's LightGBM out of the box with mean imputation. "tuned", the
    /// default, scored best on the Polish bankruptcy data (see models/README.md): many shallow, slowly learned
    /// trees on feature and row samples, NaN left to LightGBM's missing-value routing, positives up-weighted by
    /// is_unbalance. "fasttree" runs where LightGBM's native library is unavailable. "ensemble" averages five
    /// "tuned" models of different seeds; it scores a little higher on the Polish data
    /// but is five times slower to train and predict, and online scoring refuses it.
    /// </summary>
    public static IReadOnlyDictionary<string, TrainerSettings> Presets { get; } = new Dictionary<string, TrainerSettings>(StringComparer.OrdinalIgnoreCase)
    {
        ["baseline"] = new("baseline", TreeLearner.LightGbm, 20, 10, 0.2, 100, 1.0, 1.0, 0.01, false, ImbalanceHandling.None),
        ["tuned"] = new("tuned", TreeLearner.LightGbm, 16, 10, 0.03, 600, 0.5, 0.8, 1.0, true, ImbalanceHandling.Unbalanced),
        ["fasttree"] = new("fasttree", TreeLearner.FastTree, 20, 10, 0.1, 500, 0.7, 1.0, 0, true, ImbalanceHandling.None),
        [EnsemblePreset] = new(EnsemblePreset, TreeLearner.LightGbm, 16, 10, 0.03, 600, 0.5, 0.8, 1.0, true, ImbalanceHandling.Unbalanced)
        {
            Bags = 5,
        },
    };
}
