using CreditGrid.Models.Training.Data;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// Counts the live feature values of the silo's decisions in the training distribution's bins and computes each
/// feature's population stability index, PSI = Σ (live − train)·ln(live / train) over the bins. Counts start
/// again whenever the champion model changes, since a new model brings a new training distribution.
/// </summary>
public sealed class FeatureDriftMonitor
{
    // Empty bins would make the logarithm infinite; a small floor is the usual remedy.
    private const double Floor = 1e-4;
    private Tracker? _tracker;

    /// <summary>Starts counting against <paramref name="distribution"/> (null: no drift for this model).</summary>
    public void Reset(string modelVersion, FeatureDistribution? distribution) =>
        _tracker = new Tracker(modelVersion, distribution);

    /// <summary>Counts one decision's features, given in the model's numeric order.</summary>
    public void Observe(string modelVersion, float[] features)
    {
        var tracker = _tracker;
        if (tracker is null || tracker.Version != modelVersion || tracker.Distribution is null)
        {
            return;
        }

        Interlocked.Increment(ref tracker.Total);
        var bins = tracker.Distribution.Features;
        for (var f = 0; f < bins.Count && f < features.Length; f++)
        {
            Interlocked.Increment(ref tracker.Counts[f][FeatureBins.BinOf(bins[f].UpperEdges, features[f])]);
        }
    }

    /// <summary>PSI of every feature; zero decisions give zero PSI.</summary>
    public DriftReport Report()
    {
        var tracker = _tracker;
        if (tracker?.Distribution is not { } distribution)
        {
            return new DriftReport(tracker?.Version ?? "", tracker?.Total ?? 0, []);
        }

        var total = Interlocked.Read(ref tracker.Total);
        var result = new List<FeatureDrift>(distribution.Features.Count);
        for (var f = 0; f < distribution.Features.Count; f++)
        {
            var psi = 0.0;
            if (total > 0)
            {
                var shares = distribution.Features[f].Shares;
                for (var b = 0; b < shares.Count; b++)
                {
                    var live = Math.Max(Interlocked.Read(ref tracker.Counts[f][b]) / (double)total, Floor);
                    var train = Math.Max(shares[b], Floor);
                    psi += (live - train) * Math.Log(live / train);
                }
            }

            result.Add(new FeatureDrift(distribution.Features[f].Name, psi));
        }

        return new DriftReport(tracker.Version, total, result);
    }

    private sealed class Tracker(string version, FeatureDistribution? distribution)
    {
        public readonly string Version = version;
        public readonly FeatureDistribution? Distribution = distribution;
        public readonly long[][] Counts = distribution is null ? [] : [.. distribution.Features.Select(f => new long[f.Shares.Count])];
        public long Total;
    }
}
