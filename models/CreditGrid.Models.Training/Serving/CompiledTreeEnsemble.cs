using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace CreditGrid.Models.Training.Serving;

/// <summary>
/// The trees of a Platt-calibrated LightGBM or FastTree binary model flattened into arrays and walked directly: the same
/// probability and per-slot feature contributions as ML.NET's prediction engine with its contribution calculator, for
/// a row of finite numeric features, without the engine's per-row cursor, buffers and allocations.
/// </summary>
/// <remarks>
/// The model's feature slots are the numeric columns followed by their missing indicators; for finite inputs every
/// indicator is 0, so only finite rows are evaluated here (a NaN goes to ML.NET, which routes missing values per node).
/// The arithmetic follows ML.NET's: the raw score is the sum of the trees' leaf values in double, narrowed to float
/// before calibration; a tree adds to the feature of each split on the row's path the difference between the row's
/// leaf and the leaf the row would reach going the other way at that split, accumulated in float tree by tree.
/// </remarks>
internal sealed class CompiledTreeEnsemble
{
    // Nodes of all trees in one set of arrays; a child is a node index (>= 0) or the complement of a leaf index.
    private readonly int[] _splitSlot;
    private readonly float[] _threshold;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _leafValue;

    // Per tree: its root, or the complement of its only leaf when it never splits.
    private readonly int[] _roots;

    // Per slot: the roots of the trees that split on it, and of those that do not.
    private readonly int[][] _rootsSplittingOn;
    private readonly int[][] _rootsNotSplittingOn;
    private readonly double _slope;
    private readonly double _offset;

    private CompiledTreeEnsemble(int[] splitSlot, float[] threshold, int[] left, int[] right, double[] leafValue, int[] roots, int slots, double slope, double offset)
    {
        _splitSlot = splitSlot;
        _threshold = threshold;
        _left = left;
        _right = right;
        _leafValue = leafValue;
        _roots = roots;
        Slots = slots;
        _rootsSplittingOn = new int[slots][];
        _rootsNotSplittingOn = new int[slots][];
        for (var slot = 0; slot < slots; slot++)
        {
            var splitting = roots.Where(root => SplitsOn(root, slot)).ToArray();
            _rootsSplittingOn[slot] = splitting;
            _rootsNotSplittingOn[slot] = [.. roots.Except(splitting)];
        }
        _slope = slope;
        _offset = offset;
    }

    /// <summary>Feature slots the trees read: the numeric columns, then (if the model has them) their missing indicators.</summary>
    public int Slots { get; }

    /// <summary>
    /// The trees of <paramref name="predictor"/> (the last transformer of a model chain), or null when it is not a
    /// Platt-calibrated LightGBM or FastTree binary model with numeric splits only, unit tree weights and no bias.
    /// </summary>
    public static CompiledTreeEnsemble? TryCompile(ITransformer predictor, int slots)
    {
        var (ensemble, calibrator) = predictor switch
        {
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> lightGbm =>
                (lightGbm.Model.SubModel.TrainedTreeEnsemble, lightGbm.Model.Calibrator),
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> fastTree =>
                (fastTree.Model.SubModel.TrainedTreeEnsemble, fastTree.Model.Calibrator),
            _ => ((TreeEnsemble<RegressionTree>?)null, (PlattCalibrator?)null),
        };
        if (ensemble is null || calibrator is null || ensemble.Bias != 0 || ensemble.TreeWeights.Any(w => w != 1))
        {
            return null;
        }

        var (splitSlot, threshold, left, right, leafValue, roots) = (new List<int>(), new List<float>(), new List<int>(), new List<int>(), new List<double>(), new List<int>());
        foreach (var tree in ensemble.Trees)
        {
            var (nodeBase, leafBase) = (splitSlot.Count, leafValue.Count);
            leafValue.AddRange(tree.LeafValues);
            if (tree.NumberOfLeaves <= 1)
            {
                roots.Add(~leafBase);
                continue;
            }

            for (var node = 0; node < tree.NumberOfNodes; node++)
            {
                if (tree.CategoricalSplitFlags[node] || tree.NumericalSplitFeatureIndexes[node] >= slots)
                {
                    return null;
                }

                splitSlot.Add(tree.NumericalSplitFeatureIndexes[node]);
                threshold.Add(tree.NumericalSplitThresholds[node]);
                left.Add(Rebase(tree.LeftChild[node], nodeBase, leafBase));
                right.Add(Rebase(tree.RightChild[node], nodeBase, leafBase));
            }

            roots.Add(nodeBase);
        }

        return new CompiledTreeEnsemble([.. splitSlot], [.. threshold], [.. left], [.. right], [.. leafValue], [.. roots], slots, calibrator.Slope, calibrator.Offset);
    }

    /// <summary>Calibrated probability of the positive class for finite <paramref name="features"/> (one value per slot).</summary>
    public float Probability(ReadOnlySpan<float> features)
    {
        var raw = 0.0;
        foreach (var root in _roots)
        {
            raw += _leafValue[~LeafFrom(root, features)];
        }

        return Calibrate(raw);
    }

    /// <summary>
    /// The raw score of the trees that never split on <paramref name="slot"/>: the same for every value of that slot,
    /// so a scan along it (the monotone envelope) sums those trees once; see <see cref="ProbabilityAlong"/>.
    /// </summary>
    public double RawIgnoring(int slot, ReadOnlySpan<float> features)
    {
        var raw = 0.0;
        foreach (var root in _rootsNotSplittingOn[slot])
        {
            raw += _leafValue[~LeafFrom(root, features)];
        }

        return raw;
    }

    /// <summary>
    /// The probability given <see cref="RawIgnoring"/> of the same slot and row, the slot's value in
    /// <paramref name="features"/> changed. The trees are summed in another order than ML.NET's, so the result may
    /// differ from <see cref="Probability"/> in the last bits.
    /// </summary>
    public float ProbabilityAlong(int slot, double rawIgnoring, ReadOnlySpan<float> features)
    {
        var raw = rawIgnoring;
        foreach (var root in _rootsSplittingOn[slot])
        {
            raw += _leafValue[~LeafFrom(root, features)];
        }

        return Calibrate(raw);
    }

    /// <summary>
    /// The probability, and each slot's contribution to the raw score added into <paramref name="contributions"/>
    /// (one entry per slot, zeroed by the caller).
    /// </summary>
    public float Explain(ReadOnlySpan<float> features, Span<float> contributions)
    {
        var raw = 0.0;
        foreach (var root in _roots)
        {
            var output = _leafValue[~LeafFrom(root, features)];
            raw += output;

            // Walk the path again: at each split, what the row would have scored had it gone the other way.
            for (var node = root; node >= 0;)
            {
                var slot = _splitSlot[node];
                int otherWay;
                if (features[slot] <= _threshold[node])
                {
                    otherWay = _right[node];
                    node = _left[node];
                }
                else
                {
                    otherWay = _left[node];
                    node = _right[node];
                }

                contributions[slot] += (float)(output - _leafValue[~LeafFrom(otherWay, features)]);
            }
        }

        return Calibrate(raw);
    }

    private bool SplitsOn(int node, int slot) =>
        node >= 0 && (_splitSlot[node] == slot || SplitsOn(_left[node], slot) || SplitsOn(_right[node], slot));

    private int LeafFrom(int node, ReadOnlySpan<float> features)
    {
        while (node >= 0)
        {
            node = features[_splitSlot[node]] <= _threshold[node] ? _left[node] : _right[node];
        }

        return node;
    }

    // ML.NET scores a tree model in float and calibrates in double: 1 / (1 + e^(slope·score + offset)).
    private float Calibrate(double raw) => (float)(1 / (1 + Math.Exp((_slope * (float)raw) + _offset)));

    private static int Rebase(int child, int nodeBase, int leafBase) => child >= 0 ? child + nodeBase : ~(~child + leafBase);
}
