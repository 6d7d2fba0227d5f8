using System.Security.Cryptography;
using CreditGrid.Models.Training.Data;
using CreditGrid.Models.Training.Training;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace CreditGrid.Models.Training.Serving;

/// <summary>A probability and each feature's contribution to it (positive pushes towards the positive class).</summary>
/// <param name="Probability">Calibrated probability of the positive class.</param>
/// <param name="Contributions">Per numeric layout column, in layout order; its missing-indicator slot folded in.</param>
public sealed record ModelScore(double Probability, float[] Contributions);

/// <summary>
/// A model file loaded for online scoring: prediction engines (not thread-safe) are pooled, and the model is
/// extended with ML.NET's feature-contribution calculation so each score comes with its reasons. Only numeric
/// layouts are served, which is what the pre-credit feature vector is.
/// </summary>
public sealed class ServingModel
{
    private readonly ObjectPool<PredictionEngine<FeatureRow, ScoredRow>> _engines;
    private readonly ObjectPool<PredictionEngine<FeatureRow, ProbabilityRow>> _probes;
    private readonly float[]?[]? _splitThresholds;
    private readonly int _columns;

    private ServingModel(
        string path,
        string version,
        FeatureLayout layout,
        FeatureDistribution? distribution,
        ObjectPool<PredictionEngine<FeatureRow, ScoredRow>> engines,
        ObjectPool<PredictionEngine<FeatureRow, ProbabilityRow>> probes,
        float[]?[]? splitThresholds)
    {
        _probes = probes;
        _splitThresholds = splitThresholds;
        Path = path;
        Version = version;
        Layout = layout;
        Distribution = distribution;
        _engines = engines;
        _columns = layout.Numeric.Count;
        FeatureNames = [.. layout.Numeric.Select(c => c.Name)];
    }

    /// <summary>File the model was read from.</summary>
    public string Path { get; }

    /// <summary>File name without extension, and the first eight hex digits of the file's SHA-256: a swapped file is a new version.</summary>
    public string Version { get; }

    public FeatureLayout Layout { get; }

    /// <summary>Training distribution of each feature, when the file carries one.</summary>
    public FeatureDistribution? Distribution { get; }

    /// <summary>Numeric feature names in layout order: the order <see cref="Score"/> expects.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Position of a feature in <see cref="FeatureNames"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < FeatureNames.Count; i++)
        {
            if (FeatureNames[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Loads a model written by <c>creditgrid-models train</c>.</summary>
    /// <exception cref="InputDataException">The file is missing, unreadable, or has non-numeric features.</exception>
    public static ServingModel Load(string path)
    {
        var ml = new MLContext(0);
        var trained = ModelFile.Load(ml, path);
        if (!trained.IsPlain)
        {
            // Online scoring explains every score by one model's feature contributions; an average of several
            // models, or features the caller did not send, has no such explanation.
            throw new InputDataException($"model file '{path}' is an ensemble or uses derived features; only single models are served");
        }

        var (model, layout) = (trained.Members[0], trained.Layout);
        if (layout.OneHot.Count > 0 || layout.Hashed.Count > 0)
        {
            throw new InputDataException($"model file '{path}' has categorical features; only numeric layouts are served");
        }

        if (model is not TransformerChain<ITransformer> chain)
        {
            throw new InputDataException($"model file '{path}' is not a transformer chain");
        }

        var empty = model.Transform(ModelPipeline.Load(ml, layout, []));

        // The numeric vector, followed by its missing indicators unless the model was trained without them.
        var slots = ((VectorDataViewType)empty.Schema["Features"].Type).Size;

        // Calibrated tree models are typed by their concrete trees; the contribution calculator needs that type.
        ITransformer contributions = chain.LastTransformer switch
        {
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> lightGbm =>
                ml.Transforms.CalculateFeatureContribution(lightGbm, slots, slots, normalize: false).Fit(empty),
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> fastTree =>
                ml.Transforms.CalculateFeatureContribution(fastTree, slots, slots, normalize: false).Fit(empty),
            ISingleFeaturePredictionTransformer<ICalculateFeatureContribution> plain =>
                ml.Transforms.CalculateFeatureContribution(plain, slots, slots, normalize: false).Fit(empty),
            var other => throw new InputDataException($"model file '{path}' ends in {other.GetType().Name}, which cannot explain its scores"),
        };
        var explained = new TransformerChain<ITransformer>(model, contributions);
        var schema = ModelPipeline.InputSchema(layout);
        var provider = new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 4 };
        var pool = provider.Create(new EnginePolicy<ScoredRow>(() => ml.Model.CreatePredictionEngine<FeatureRow, ScoredRow>(explained, ignoreMissingColumns: true, inputSchemaDefinition: schema)));
        var probes = provider.Create(new EnginePolicy<ProbabilityRow>(() => ml.Model.CreatePredictionEngine<FeatureRow, ProbabilityRow>(model, ignoreMissingColumns: true, inputSchemaDefinition: schema)));
        var version = $"{System.IO.Path.GetFileNameWithoutExtension(path)}-{Hash(path)}";
        return new ServingModel(path, version, layout, ModelFile.LoadDistribution(path), pool, probes, SplitThresholds(chain.LastTransformer, slots));
    }

    /// <summary>Scores one row of numeric features given in <see cref="FeatureNames"/> order.</summary>
    public ModelScore Score(float[] numeric)
    {
        if (numeric.Length != _columns)
        {
            throw new ArgumentException($"expected {_columns} features, got {numeric.Length}", nameof(numeric));
        }

        var engine = _engines.Get();
        try
        {
            var scored = engine.Predict(new FeatureRow { Numeric = numeric });
            var byColumn = new float[_columns];
            for (var i = 0; i < scored.FeatureContributions.Length; i++)
            {
                // Slots are the numeric vector followed by its missing indicators (see ModelPipeline.Build).
                byColumn[i % _columns] += scored.FeatureContributions[i];
            }

            return new ModelScore(scored.Probability, byColumn);
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    /// <summary>
    /// The probability made non-increasing in one feature: the highest probability the model gives, other features
    /// unchanged, at every grid point from the feature's value snapped down to the grid up to <paramref name="upper"/>.
    /// Gradient-boosted trees without monotone constraints (ML.NET does not expose LightGBM's) can rise locally where
    /// the data says the risk falls; this envelope guarantees that raising the feature never raises the answer, at the
    /// cost of a conservative PD and a resolution of one grid step.
    /// </summary>
    /// <param name="numeric">Features in <see cref="FeatureNames"/> order; not modified.</param>
    /// <param name="index">Position of the feature the probability must not rise with.</param>
    /// <param name="lower">Lowest grid point.</param>
    /// <param name="step">Grid step.</param>
    /// <param name="upper">Highest grid point.</param>
    /// <remarks>
    /// A tree ensemble's answer moves with one feature only where a tree splits on it, so grid points with no split
    /// threshold between them share one answer; only the first of each such run is scored. The shipped model needs a
    /// fraction of the grid's 40 predictions for the composite score this way, with exactly the brute-force result.
    /// </remarks>
    public double NonIncreasingIn(float[] numeric, int index, float lower, float step, float upper)
    {
        var probe = (float[])numeric.Clone();
        var start = lower + (step * MathF.Floor((Math.Clamp(numeric[index], lower, upper) - lower) / step));
        var cuts = _splitThresholds?[index];
        var engine = _probes.Get();
        try
        {
            var row = new FeatureRow { Numeric = probe };
            var worst = 0.0;
            var scoredRun = -1;
            for (var g = start; g <= upper + (step / 2); g += step)
            {
                if (cuts is not null)
                {
                    // Trees send a value left when it is at most the threshold: the count of thresholds below g
                    // names the run of grid points that every split treats alike.
                    var run = ThresholdsBelow(cuts, g);
                    if (run == scoredRun)
                    {
                        continue;
                    }

                    scoredRun = run;
                }

                probe[index] = g;
                worst = Math.Max(worst, engine.Predict(row).Probability);
            }

            return worst;
        }
        finally
        {
            _probes.Return(engine);
        }
    }

    private static int ThresholdsBelow(float[] sortedThresholds, float value)
    {
        var at = Array.BinarySearch(sortedThresholds, value);
        return at >= 0 ? at : ~at;
    }

    /// <summary>
    /// Every numeric split threshold of a tree ensemble, sorted and distinct, per feature slot; null for a model that is
    /// not a tree ensemble, and for a slot some tree splits on categorically.
    /// </summary>
    private static float[]?[]? SplitThresholds(ITransformer predictor, int slots)
    {
        var ensemble = predictor switch
        {
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> lightGbm => lightGbm.Model.SubModel.TrainedTreeEnsemble,
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> fastTree => fastTree.Model.SubModel.TrainedTreeEnsemble,
            _ => null,
        };
        if (ensemble is null)
        {
            return null;
        }

        var thresholds = Enumerable.Range(0, slots).Select(_ => new SortedSet<float>()).ToArray();
        var categorical = new bool[slots];
        foreach (var tree in ensemble.Trees)
        {
            for (var node = 0; node < tree.NumberOfNodes; node++)
            {
                var feature = tree.NumericalSplitFeatureIndexes[node];
                if (tree.CategoricalSplitFlags[node])
                {
                    categorical[feature] = true;
                }
                else
                {
                    thresholds[feature].Add(tree.NumericalSplitThresholds[node]);
                }
            }
        }

        return [.. thresholds.Select((set, slot) => categorical[slot] ? null : set.ToArray())];
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..8];
    }

    /// <summary>What the engine returns.</summary>
    public sealed class ScoredRow
    {
        public float Probability { get; set; }

        public float[] FeatureContributions { get; set; } = [];
    }

    /// <summary>What a probe returns.</summary>
    public sealed class ProbabilityRow
    {
        public float Probability { get; set; }
    }

    private sealed class EnginePolicy<TOut>(Func<PredictionEngine<FeatureRow, TOut>> create) : PooledObjectPolicy<PredictionEngine<FeatureRow, TOut>>
        where TOut : class, new()
    {
        public override PredictionEngine<FeatureRow, TOut> Create() => create();

        public override bool Return(PredictionEngine<FeatureRow, TOut> obj) => true;
    }
}
