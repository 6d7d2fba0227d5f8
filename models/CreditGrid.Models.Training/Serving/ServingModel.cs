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
/// A model file loaded for online scoring, each score with its reasons (per-feature contributions). A tree model's
/// trees are compiled (<see cref="CompiledTreeEnsemble"/>) and checked against ML.NET at load; rows then score
/// without ML.NET's per-prediction engine. Rows with a missing value, and models that do not compile or fail the
/// check, score through pooled ML.NET prediction engines (not thread-safe) extended with ML.NET's
/// feature-contribution calculation. Only numeric layouts are served, which is what the pre-credit feature vector is.
/// </summary>
public sealed class ServingModel
{
    /// <summary>Grid points of the monotone envelope kept on the stack; a finer grid is allocated.</summary>
    private const int MaxPointsOnStack = 256;

    private readonly ObjectPool<PredictionEngine<FeatureRow, ScoredRow>> _engines;
    private readonly ObjectPool<PredictionEngine<FeatureRow, ProbabilityRow>> _probes;
    private readonly float[]?[]? _splitThresholds;
    private readonly CompiledTreeEnsemble? _compiled;
    private readonly int _columns;

    private ServingModel(
        string path,
        string version,
        FeatureLayout layout,
        FeatureDistribution? distribution,
        ObjectPool<PredictionEngine<FeatureRow, ScoredRow>> engines,
        ObjectPool<PredictionEngine<FeatureRow, ProbabilityRow>> probes,
        float[]?[]? splitThresholds,
        CompiledTreeEnsemble? compiled)
    {
        _probes = probes;
        _splitThresholds = splitThresholds;
        _compiled = compiled;
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

    /// <summary>
    /// True when finite rows are scored by the compiled trees (which agreed with ML.NET on the load-time check);
    /// false when every row goes through ML.NET's prediction engine.
    /// </summary>
    public bool IsCompiled => _compiled is not null;

    /// <summary>How the compiled trees are evaluated (see <see cref="CompiledTreeEnsemble.Evaluation"/>); null when not compiled.</summary>
    internal string? Evaluation => _compiled?.Evaluation;

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

    /// <summary>The distinct numeric split thresholds of a feature, ascending; empty for a model that is not a tree ensemble.</summary>
    public IReadOnlyList<float> SplitThresholdsOf(int index) => _splitThresholds?[index] ?? [];

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
        var splitThresholds = SplitThresholds(chain.LastTransformer, slots);
        var served = new ServingModel(path, version, layout, ModelFile.LoadDistribution(path), pool, probes, splitThresholds, null);
        if (CompiledTreeEnsemble.TryCompile(chain.LastTransformer, slots) is not { } compiled)
        {
            return served;
        }

        // The transforms before the trees are assumed to pass finite values through unchanged (missing indicators,
        // imputation of missing values only). A model that breaks the assumption disagrees with ML.NET here and keeps
        // ML.NET's engine.
        var candidate = new ServingModel(path, version, layout, served.Distribution, pool, probes, splitThresholds, compiled);
        return CompiledTreeCheck.Agrees(candidate, splitThresholds, layout.Numeric.Count) ? candidate : served;
    }

    /// <summary>Scores one row of numeric features given in <see cref="FeatureNames"/> order.</summary>
    public ModelScore Score(float[] numeric)
    {
        CheckWidth(numeric);
        if (_compiled is null || HasMissing(numeric))
        {
            return ScoreWithEngine(numeric);
        }

        Span<float> features = stackalloc float[_compiled.Slots];
        Span<float> bySlot = stackalloc float[_compiled.Slots];
        Fill(numeric, features);
        bySlot.Clear();
        var probability = _compiled.Explain(features, bySlot);
        return new ModelScore(probability, ByColumn(bySlot));
    }

    /// <summary>
    /// Scores one row through ML.NET's prediction engine and contribution calculator, whether or not the trees are
    /// compiled: the reference the compiled trees are checked against.
    /// </summary>
    public ModelScore ScoreWithEngine(float[] numeric)
    {
        CheckWidth(numeric);
        var engine = _engines.Get();
        try
        {
            var scored = engine.Predict(new FeatureRow { Numeric = numeric });
            return new ModelScore(scored.Probability, ByColumn(scored.FeatureContributions));
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
        CheckWidth(numeric);
        if (_compiled is null || HasMissing(numeric))
        {
            return NonIncreasingWithEngine(numeric, index, lower, step, upper);
        }

        Span<float> probe = stackalloc float[_compiled.Slots];
        Fill(numeric, probe);
        return Envelope(_compiled, probe, index, lower, step, upper, _compiled.RawIgnoring(index, probe));
    }

    /// <summary>
    /// <see cref="Score"/> and <see cref="NonIncreasingIn"/> of one row together, with exactly their results: the trees
    /// that never split on the feature are evaluated once for both instead of once each.
    /// </summary>
    public (ModelScore Score, double NonIncreasing) ScoreNonIncreasingIn(float[] numeric, int index, float lower, float step, float upper)
    {
        CheckWidth(numeric);
        if (_compiled is null || HasMissing(numeric))
        {
            return (ScoreWithEngine(numeric), NonIncreasingWithEngine(numeric, index, lower, step, upper));
        }

        Span<float> features = stackalloc float[_compiled.Slots];
        Span<float> bySlot = stackalloc float[_compiled.Slots];
        Fill(numeric, features);
        bySlot.Clear();
        var probability = _compiled.Explain(features, bySlot, index, out var rawIgnoring);
        return (new ModelScore(probability, ByColumn(bySlot)), Envelope(_compiled, features, index, lower, step, upper, rawIgnoring));
    }

    /// <summary>The envelope of a finite row given as tree slots, from the raw score of the trees that ignore the feature.</summary>
    private double Envelope(CompiledTreeEnsemble compiled, ReadOnlySpan<float> slots, int index, float lower, float step, float upper, double rawIgnoring)
    {
        var count = 0;
        foreach (var _ in GridPoints(slots[index], index, lower, step, upper))
        {
            count++;
        }

        if (count == 0)
        {
            return 0;
        }

        Span<float> points = count <= MaxPointsOnStack ? stackalloc float[count] : new float[count];
        Span<double> raws = count <= MaxPointsOnStack ? stackalloc double[count] : new double[count];
        count = 0;
        foreach (var g in GridPoints(slots[index], index, lower, step, upper))
        {
            points[count++] = g;
        }

        compiled.RawAlong(index, rawIgnoring, slots, points, raws);
        return compiled.HighestProbabilityOf(raws);
    }

    private double NonIncreasingWithEngine(float[] numeric, int index, float lower, float step, float upper)
    {
        var probe = (float[])numeric.Clone();
        var engine = _probes.Get();
        try
        {
            var row = new FeatureRow { Numeric = probe };
            var worst = 0.0;
            foreach (var g in GridPoints(numeric[index], index, lower, step, upper))
            {
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

    /// <summary>The grid points from <paramref name="value"/> snapped down to the grid up to the top, one per run that every split treats alike.</summary>
    private GridRuns GridPoints(float value, int index, float lower, float step, float upper) =>
        new(lower + (step * MathF.Floor((Math.Clamp(value, lower, upper) - lower) / step)), step, upper, _splitThresholds?[index]);

    /// <summary>
    /// Grid points, skipping those with no split threshold between them and the previous one yielded: trees send a
    /// value left when it is at most the threshold, so the count of thresholds below a point names its run.
    /// </summary>
    private struct GridRuns(float start, float step, float upper, float[]? cuts)
    {
        private float _next = start;
        private int _run = -1;

        public float Current { get; private set; }

        public readonly GridRuns GetEnumerator() => this;

        public bool MoveNext()
        {
            for (; _next <= upper + (step / 2); _next += step)
            {
                if (cuts is not null)
                {
                    var run = ThresholdsBelow(cuts, _next);
                    if (run == _run)
                    {
                        continue;
                    }

                    _run = run;
                }

                Current = _next;
                _next += step;
                return true;
            }

            return false;
        }
    }

    private void CheckWidth(float[] numeric)
    {
        if (numeric.Length != _columns)
        {
            throw new ArgumentException($"expected {_columns} features, got {numeric.Length}", nameof(numeric));
        }
    }

    private static bool HasMissing(ReadOnlySpan<float> numeric)
    {
        foreach (var value in numeric)
        {
            if (float.IsNaN(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The tree slots of a finite row: its values, then 0 for every missing indicator.</summary>
    private static void Fill(ReadOnlySpan<float> numeric, Span<float> slots)
    {
        numeric.CopyTo(slots);
        slots[numeric.Length..].Clear();
    }

    /// <summary>Contributions per numeric column: slots are the numeric vector followed by its missing indicators (see ModelPipeline.Build).</summary>
    private float[] ByColumn(ReadOnlySpan<float> bySlot)
    {
        var byColumn = new float[_columns];
        for (var i = 0; i < bySlot.Length; i++)
        {
            byColumn[i % _columns] += bySlot[i];
        }

        return byColumn;
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
