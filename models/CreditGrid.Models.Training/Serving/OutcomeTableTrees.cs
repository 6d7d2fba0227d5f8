using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CreditGrid.Models.Training.Serving;

/// <summary>
/// Trees of at most eight leaves evaluated by table. A tree's splits (at most seven, numbered in pre-order) are all
/// tested into one outcome: bit j set when the row goes right at split j. A table of the tree's 128 outcomes gives the
/// leaf each reaches, so the row's leaf is one lookup, and the leaf it would reach going the other way at split j of
/// its path is the lookup of the outcome with bit j flipped: the splits above j send it the same way, and the splits
/// below send it as the row's own values do, which is what the feature contributions compare with.
/// </summary>
/// <remarks>
/// The shipped pre-credit model grows trees of eight leaves. Walking them, or ruling leaves out bit by bit, costs a
/// pass over every split for the leaf and another for the path; here it is seven comparisons without a branch and a
/// lookup per split on the path. The tables take 128 bytes per tree.
/// </remarks>
internal sealed class OutcomeTableTrees
{
    /// <summary>The most splits a tree may have: its outcomes index a table of 2^7 entries.</summary>
    public const int MaxSplits = 7;

    private const int Outcomes = 1 << MaxSplits;
    private const int MaxLeaves = MaxSplits + 1;

    // The splits of a tree as stored: one vector of eight lanes, the last never used by a split.
    private const int Lanes = MaxSplits + 1;

    // Per tree t, split j at [t * Lanes + j]; a tree's unused lanes test slot 0 against +∞, which no finite value
    // exceeds, so their bits stay 0 and the tables are read only where they are filled.
    private readonly int[] _slot;
    private readonly float[] _threshold;

    // Per tree t, outcome o at [t * Outcomes + o]: the position (left to right) of the leaf the outcome reaches.
    private readonly byte[] _leafAt;

    // Per tree t, leaf position p at [t * MaxLeaves + p]: the leaf (index into the leaf values), and the splits on the
    // path to it from the root down, three bits each above a three-bit count.
    private readonly int[] _leaf;
    private readonly int[] _path;

    // The tree of a root node, -1 for other nodes.
    private readonly int[] _treeOfRoot;

    // The slots a row has; the gather reads a row without bounds checks, so a shorter row is refused before it.
    private readonly int _width;

    private OutcomeTableTrees(int width, int trees, int[] slot, float[] threshold, byte[] leafAt, int[] leaf, int[] path, int[] treeOfRoot)
    {
        _width = Math.Max(width, 1);
        Trees = trees;
        (_slot, _threshold, _leafAt, _leaf, _path, _treeOfRoot) = (slot, threshold, leafAt, leaf, path, treeOfRoot);
    }

    public int Trees { get; }

    /// <summary>
    /// The tables of the trees at <paramref name="roots"/> over rows of <paramref name="width"/> slots (every split's
    /// slot below it), or null when a tree has more than eight leaves.
    /// </summary>
    public static OutcomeTableTrees? TryBuild(int width, int[] roots, int[] splitSlot, int[] left, int[] right, float[] threshold)
    {
        var trees = roots.Length;
        var slot = new int[trees * Lanes];
        var cut = new float[trees * Lanes];
        Array.Fill(cut, float.PositiveInfinity);
        var leafAt = new byte[trees * Outcomes];
        var leaf = new int[trees * MaxLeaves];
        var path = new int[trees * MaxLeaves];
        var treeOfRoot = Enumerable.Repeat(-1, splitSlot.Length).ToArray();
        for (var t = 0; t < trees; t++)
        {
            if (roots[t] < 0)
            {
                // A tree that never splits: every outcome is 0 and reaches its only leaf, by an empty path.
                leaf[t * MaxLeaves] = ~roots[t];
                continue;
            }

            treeOfRoot[roots[t]] = t;
            var splits = new List<int>();
            var leaves = new List<(int Leaf, List<int> Path)>();
            if (!Number(roots[t], []))
            {
                return null;
            }

            for (var j = 0; j < splits.Count; j++)
            {
                slot[(t * Lanes) + j] = splitSlot[splits[j]];
                cut[(t * Lanes) + j] = threshold[splits[j]];
            }

            for (var p = 0; p < leaves.Count; p++)
            {
                leaf[(t * MaxLeaves) + p] = leaves[p].Leaf;
                path[(t * MaxLeaves) + p] = Pack(leaves[p].Path);
            }

            for (var outcome = 0; outcome < Outcomes; outcome++)
            {
                var node = roots[t];
                while (node >= 0)
                {
                    node = (outcome & (1 << splits.IndexOf(node))) != 0 ? right[node] : left[node];
                }

                leafAt[(t * Outcomes) + outcome] = (byte)leaves.FindIndex(l => l.Leaf == ~node);
            }

            // Splits in pre-order and leaves left to right, each leaf with the splits above it; false past the limits.
            bool Number(int node, List<int> above)
            {
                if (node < 0)
                {
                    leaves.Add((~node, above));
                    return leaves.Count <= MaxLeaves;
                }

                var j = splits.Count;
                splits.Add(node);
                return splits.Count <= MaxSplits && Number(left[node], [.. above, j]) && Number(right[node], [.. above, j]);
            }
        }

        return new OutcomeTableTrees(width, trees, slot, cut, leafAt, leaf, path, treeOfRoot);
    }

    /// <summary>The tree whose root is <paramref name="node"/>, or -1.</summary>
    public int TreeRootedAt(int node) => _treeOfRoot[node];

    /// <summary>The leaf (index into the leaf values) tree <paramref name="tree"/> sends the row to.</summary>
    public int Leaf(int tree, ReadOnlySpan<float> features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features.Length, _width);
        return _leaf[(tree * MaxLeaves) + _leafAt[(tree * Outcomes) + Outcome(tree, features)]];
    }

    /// <summary>
    /// The raw score of every tree, and each slot's contribution added into <paramref name="contributions"/>: tree by
    /// tree, splits on the path from the root down, the same float sums in the same order as a walk.
    /// </summary>
    /// <remarks>
    /// With <paramref name="splitsOnIgnored"/> (per tree), <paramref name="rawIgnoring"/> is the sum, in tree order, of
    /// the outputs of the trees it marks false; otherwise 0.
    /// </remarks>
    public double Explain(ReadOnlySpan<float> features, Span<float> contributions, double[] leafValue, bool[]? splitsOnIgnored, out double rawIgnoring)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features.Length, _width);
        var raw = 0.0;
        rawIgnoring = 0.0;
        for (var tree = 0; tree < Trees; tree++)
        {
            var outcome = Outcome(tree, features);
            var table = _leafAt.AsSpan(tree * Outcomes, Outcomes);
            var leaves = _leaf.AsSpan(tree * MaxLeaves, MaxLeaves);
            var reached = table[outcome];
            var output = leafValue[leaves[reached]];
            raw += output;
            if (splitsOnIgnored is not null && !splitsOnIgnored[tree])
            {
                rawIgnoring += output;
            }

            var path = _path[(tree * MaxLeaves) + reached];
            for (var (depth, shift) = (path & 7, 3); depth > 0; depth--, shift += 3)
            {
                var split = (path >> shift) & 7;
                var other = leafValue[leaves[table[outcome ^ (1 << split)]]];
                contributions[_slot[(tree * Lanes) + split]] += (float)(output - other);
            }
        }

        return raw;
    }

    // The row's outcome at every split of the tree, without a branch on any: with AVX2, the eight lanes' values
    // gathered and compared at once.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe int Outcome(int tree, ReadOnlySpan<float> features)
    {
        var at = (nuint)(tree * Lanes);
        if (Avx2.IsSupported)
        {
            var slots = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_slot), at);
            var cuts = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_threshold), at);
            fixed (float* values = features)
            {
                // Every lane's slot indexes the row: the callers refused rows shorter than the width.
                return (int)(~Vector256.LessThanOrEqual(Avx2.GatherVector256(values, slots, sizeof(float)), cuts)).ExtractMostSignificantBits();
            }
        }

        var outcome = 0;
        for (var j = 0; j < MaxSplits; j++)
        {
            outcome |= Unsafe.BitCast<bool, byte>(!(features[_slot[(int)at + j]] <= _threshold[(int)at + j])) << j;
        }

        return outcome;
    }

    private static int Pack(List<int> path)
    {
        var packed = path.Count;
        for (var k = 0; k < path.Count; k++)
        {
            packed |= path[k] << (3 + (3 * k));
        }

        return packed;
    }
}
