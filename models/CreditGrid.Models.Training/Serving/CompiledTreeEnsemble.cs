using System.Numerics;
using System.Runtime.CompilerServices;
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

    // Per slot, by tree (the order of the roots): whether the tree splits on it.
    private readonly bool[][] _treeSplitsOn;
    private readonly double _slope;
    private readonly double _offset;

    // The same trees by outcome table, when every tree has at most 8 leaves; null otherwise.
    private readonly OutcomeTableTrees? _tables;

    // The same trees for bit-parallel evaluation, when the tables do not fit and every tree has at most 64 leaves.
    private readonly BitTrees? _bits;

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
        _treeSplitsOn = new bool[slots][];
        for (var slot = 0; slot < slots; slot++)
        {
            _treeSplitsOn[slot] = [.. roots.Select(root => SplitsOn(root, slot))];
            _rootsSplittingOn[slot] = [.. roots.Where((_, tree) => _treeSplitsOn[slot][tree])];
            _rootsNotSplittingOn[slot] = [.. roots.Where((_, tree) => !_treeSplitsOn[slot][tree])];
        }
        _slope = slope;
        _offset = offset;
        _tables = OutcomeTableTrees.TryBuild(slots, roots, splitSlot, left, right, threshold);
        _bits = _tables is null ? BitTrees.TryBuild(roots, splitSlot, left, right, threshold) : null;
    }

    /// <summary>How the trees are evaluated: by outcome table, bit-parallel, or walked node by node.</summary>
    public string Evaluation => _tables is not null ? "tables" : _bits is not null ? "bits" : "walk";

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
    /// so a scan along it (the monotone envelope) sums those trees once; see <see cref="RawAlong"/>.
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
    /// The raw score at each of <paramref name="points"/> (ascending) taken by <paramref name="slot"/>, the other slots
    /// as in <paramref name="features"/>, into <paramref name="raws"/>: <paramref name="rawIgnoring"/> (see
    /// <see cref="RawIgnoring"/>) plus every tree that splits on the slot. Each such tree is walked once for all the
    /// points, which it splits between its children at each split on the slot, instead of once per point.
    /// </summary>
    public void RawAlong(int slot, double rawIgnoring, ReadOnlySpan<float> features, ReadOnlySpan<float> points, Span<double> raws)
    {
        raws[..points.Length].Fill(rawIgnoring);
        foreach (var root in _rootsSplittingOn[slot])
        {
            AddAlong(root, slot, features, points, 0, raws);
        }
    }

    /// <summary>Adds the leaf values subtree <paramref name="node"/> gives <paramref name="points"/> (which all reach it) into <paramref name="raws"/>.</summary>
    private void AddAlong(int node, int slot, ReadOnlySpan<float> features, ReadOnlySpan<float> points, int offset, Span<double> raws)
    {
        while (node >= 0)
        {
            if (_splitSlot[node] != slot)
            {
                node = features[_splitSlot[node]] <= _threshold[node] ? _left[node] : _right[node];
                continue;
            }

            // The points at or below the threshold go left, as a single row would.
            var left = 0;
            while (left < points.Length && points[left] <= _threshold[node])
            {
                left++;
            }

            if (left > 0)
            {
                AddAlong(_left[node], slot, features, points[..left], offset, raws);
            }

            if (left == points.Length)
            {
                return;
            }

            points = points[left..];
            offset += left;
            node = _right[node];
        }

        var value = _leafValue[~node];
        foreach (ref var raw in raws.Slice(offset, points.Length))
        {
            raw += value;
        }
    }

    /// <summary>
    /// The highest calibrated probability among <paramref name="raws"/> (at least one). Calibration is monotone in the
    /// raw score (rising when its slope is negative, as Platt scaling fits it for a positive class that scores high),
    /// so it calibrates only the extreme score, which gives exactly the largest of the calibrated values.
    /// </summary>
    public float HighestProbabilityOf(ReadOnlySpan<double> raws)
    {
        var rising = _slope <= 0;
        var extreme = raws[0];
        foreach (var raw in raws)
        {
            extreme = rising ? Math.Max(extreme, raw) : Math.Min(extreme, raw);
        }

        return Calibrate(extreme);
    }

    /// <summary>
    /// The probability, and each slot's contribution to the raw score added into <paramref name="contributions"/>
    /// (one entry per slot, zeroed by the caller).
    /// </summary>
    public float Explain(ReadOnlySpan<float> features, Span<float> contributions) => Explain(features, contributions, null, out _);

    /// <summary>
    /// <see cref="Explain(ReadOnlySpan{float}, Span{float})"/>, and besides the raw score of the trees that never split on
    /// <paramref name="slot"/>: what <see cref="RawIgnoring"/> returns, summed in the same order, so that a row's
    /// explanation and its scan along the slot (<see cref="RawAlong"/>) evaluate those trees once between them.
    /// </summary>
    public float Explain(ReadOnlySpan<float> features, Span<float> contributions, int slot, out double rawIgnoring) =>
        Explain(features, contributions, _treeSplitsOn[slot], out rawIgnoring);

    private float Explain(ReadOnlySpan<float> features, Span<float> contributions, bool[]? splitsOnIgnored, out double rawIgnoring)
    {
        if (_tables is { } tables)
        {
            return Calibrate(tables.Explain(features, contributions, _leafValue, splitsOnIgnored, out rawIgnoring));
        }

        if (_bits is { } bits)
        {
            return Calibrate(bits.Explain(features, contributions, _leafValue, splitsOnIgnored, out rawIgnoring));
        }

        var raw = 0.0;
        rawIgnoring = 0.0;
        for (var tree = 0; tree < _roots.Length; tree++)
        {
            var root = _roots[tree];
            var output = _leafValue[~LeafFrom(root, features)];
            raw += output;
            if (splitsOnIgnored is not null && !splitsOnIgnored[tree])
            {
                rawIgnoring += output;
            }

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
        if (node >= 0 && _tables is { } tables && tables.TreeRootedAt(node) is var rooted and >= 0)
        {
            return ~tables.Leaf(rooted, features);
        }

        if (node >= 0 && _bits is { } bits && bits.TreeRootedAt(node) is var tree and >= 0)
        {
            return ~bits.Leaf(tree, features);
        }

        while (node >= 0)
        {
            node = features[_splitSlot[node]] <= _threshold[node] ? _left[node] : _right[node];
        }

        return node;
    }

    // ML.NET scores a tree model in float and calibrates in double: 1 / (1 + e^(slope·score + offset)).
    private float Calibrate(double raw) => (float)(1 / (1 + Math.Exp((_slope * (float)raw) + _offset)));

    private static int Rebase(int child, int nodeBase, int leafBase) => child >= 0 ? child + nodeBase : ~(~child + leafBase);

    /// <summary>
    /// Trees of at most 64 leaves evaluated without walking them (QuickScorer, Lucchese et al., SIGIR 2015): each
    /// tree's leaves are numbered left to right, and a split the row fails (goes right at) rules out the leaves of its
    /// left subtree; the row's leaf is the leftmost leaf no failed split rules out. Every split is tested, without a
    /// branch on the outcome, which costs less than the mispredicted branches of a walk down small trees.
    /// </summary>
    /// <remarks>
    /// The leaf the row would reach going the other way at a split on its path (the feature contributions) is the
    /// leftmost leaf of the other child that no failed split off the path rules out: a split on the path rules out
    /// leaves of its own other child only, and splits inside that child are exactly those the walk would test.
    /// </remarks>
    private sealed class BitTrees
    {
        private const int MaxLeaves = 64;

        // Per tree t: its splits are [_start[t], _start[t + 1]) in pre-order (a split before those below it), its
        // leaves left to right from _leafStart[t].
        private readonly int[] _start;
        private readonly int[] _leafStart;
        private readonly int[] _slot;
        private readonly float[] _threshold;
        private readonly ulong[] _leftLeaves;
        private readonly ulong[] _rightLeaves;

        // Per split: the leaves of both its children, the leaves under it.
        private readonly ulong[] _subtreeLeaves;
        private readonly int[] _leaves;

        // The tree of a root node, -1 for other nodes.
        private readonly int[] _treeOfRoot;

        private BitTrees(int[] start, int[] leafStart, int[] slot, float[] threshold, ulong[] leftLeaves, ulong[] rightLeaves, int[] leaves, int[] treeOfRoot)
        {
            (_start, _leafStart, _slot, _threshold) = (start, leafStart, slot, threshold);
            (_leftLeaves, _rightLeaves, _leaves, _treeOfRoot) = (leftLeaves, rightLeaves, leaves, treeOfRoot);
            _subtreeLeaves = [.. leftLeaves.Zip(rightLeaves, (left, right) => left | right)];
        }

        public static BitTrees? TryBuild(int[] roots, int[] splitSlot, int[] left, int[] right, float[] threshold)
        {
            var (start, leafStart, slot, cut) = (new List<int>(), new List<int>(), new List<int>(), new List<float>());
            var (leftLeaves, rightLeaves, leaves) = (new List<ulong>(), new List<ulong>(), new List<int>());
            var treeOfRoot = Enumerable.Repeat(-1, splitSlot.Length).ToArray();
            for (var t = 0; t < roots.Length; t++)
            {
                start.Add(slot.Count);
                leafStart.Add(leaves.Count);
                if (roots[t] >= 0)
                {
                    treeOfRoot[roots[t]] = t;
                    if (Visit(roots[t]) is null)
                    {
                        return null;
                    }
                }
                else
                {
                    leaves.Add(~roots[t]);
                }
            }

            start.Add(slot.Count);
            return new BitTrees([.. start], [.. leafStart], [.. slot], [.. cut], [.. leftLeaves], [.. rightLeaves], [.. leaves], treeOfRoot);

            // The leaves under a node as bits of the tree's left-to-right numbering; null past 64 leaves.
            ulong? Visit(int node)
            {
                if (node < 0)
                {
                    var position = leaves.Count - leafStart[^1];
                    if (position >= MaxLeaves)
                    {
                        return null;
                    }

                    leaves.Add(~node);
                    return 1UL << position;
                }

                var at = slot.Count;
                slot.Add(splitSlot[node]);
                cut.Add(threshold[node]);
                leftLeaves.Add(0);
                rightLeaves.Add(0);
                if (Visit(left[node]) is not { } l || Visit(right[node]) is not { } r)
                {
                    return null;
                }

                (leftLeaves[at], rightLeaves[at]) = (l, r);
                return l | r;
            }
        }

        /// <summary>The tree whose root is <paramref name="node"/>, or -1.</summary>
        public int TreeRootedAt(int node) => _treeOfRoot[node];

        /// <summary>The leaf (index into the leaf values) tree <paramref name="tree"/> sends the row to.</summary>
        public int Leaf(int tree, ReadOnlySpan<float> features)
        {
            var candidates = ulong.MaxValue;
            for (var q = _start[tree]; q < _start[tree + 1]; q++)
            {
                candidates &= ~(_leftLeaves[q] & Failed(features[_slot[q]], _threshold[q]));
            }

            return _leaves[_leafStart[tree] + BitOperations.TrailingZeroCount(candidates)];
        }

        /// <summary>
        /// The raw score of every tree, and each slot's contribution added into <paramref name="contributions"/>: tree by
        /// tree, splits on the path from the root down, the same float sums in the same order as the walk.
        /// </summary>
        /// <remarks>
        /// With <paramref name="splitsOnIgnored"/> (per tree), <paramref name="rawIgnoring"/> is the sum, in tree order, of
        /// the outputs of the trees it marks false; otherwise 0.
        /// </remarks>
        public double Explain(ReadOnlySpan<float> features, Span<float> contributions, double[] leafValue, bool[]? splitsOnIgnored, out double rawIgnoring)
        {
            Span<ulong> ruledOut = stackalloc ulong[MaxLeaves];
            Span<int> path = stackalloc int[MaxLeaves];
            var raw = 0.0;
            rawIgnoring = 0.0;
            for (var tree = 0; tree + 1 < _start.Length; tree++)
            {
                var (first, end, leafStart) = (_start[tree], _start[tree + 1], _leafStart[tree]);
                var candidates = ulong.MaxValue;
                for (var q = first; q < end; q++)
                {
                    var excluded = _leftLeaves[q] & Failed(features[_slot[q]], _threshold[q]);
                    ruledOut[q - first] = excluded;
                    candidates &= ~excluded;
                }

                var reached = 1UL << BitOperations.TrailingZeroCount(candidates);
                var output = leafValue[_leaves[leafStart + BitOperations.TrailingZeroCount(candidates)]];
                raw += output;
                if (splitsOnIgnored is not null && !splitsOnIgnored[tree])
                {
                    rawIgnoring += output;
                }

                if (first == end)
                {
                    continue;
                }

                // What the splits off the row's path rule out; the splits on it (those above the reached leaf), in
                // pre-order, which is root to leaf.
                var offPath = ulong.MaxValue;
                var depth = 0;
                for (var q = first; q < end; q++)
                {
                    if ((_subtreeLeaves[q] & reached) == 0)
                    {
                        offPath &= ~ruledOut[q - first];
                    }
                    else
                    {
                        path[depth++] = q;
                    }
                }

                foreach (var q in path[..depth])
                {
                    var otherWay = (_leftLeaves[q] & reached) != 0 ? _rightLeaves[q] : _leftLeaves[q];
                    var other = leafValue[_leaves[leafStart + BitOperations.TrailingZeroCount(offPath & otherWay)]];
                    contributions[_slot[q]] += (float)(output - other);
                }
            }

            return raw;
        }

        // All bits when the row goes right at the split (fails "value <= threshold"), none when it goes left; no branch.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Failed(float value, float threshold) => 0UL - (ulong)Unsafe.BitCast<bool, byte>(!(value <= threshold));
    }
}
