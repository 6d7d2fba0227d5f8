using CreditGrid.Models.Training.Data;
using CreditGrid.Models.Training.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// The silo's champion and optional challenger models. Each file is polled (time stamp and length) every
/// <see cref="PreCreditOptions.ReloadInterval"/>; a changed file is loaded beside the old model and swapped in
/// atomically, so a decision in flight keeps the model it started with, and a file that does not load leaves the
/// old model serving. Polling rather than an admin call means every silo of a cluster picks the new file up.
/// </summary>
public sealed partial class PreCreditModels : IDisposable
{
    private readonly PreCreditOptions _options;
    private readonly FeatureDriftMonitor _drift;
    private readonly ILogger<PreCreditModels> _logger;
    private readonly ITimer _timer;
    private readonly Lock _reloading = new();
    private Slot _champion;
    private Slot _challenger;

    public PreCreditModels(IOptions<PreCreditOptions> options, FeatureDriftMonitor drift, TimeProvider time, ILogger<PreCreditModels> logger)
    {
        _options = options.Value;
        _drift = drift;
        _logger = logger;
        _champion = new Slot(Resolve(_options.ModelPath), null, default);
        _challenger = new Slot(_options.ChallengerPath is { Length: > 0 } c ? Resolve(c) : null, null, default);
        Refresh();
        PreCreditMetrics.ObservePsi(drift);
        _timer = time.CreateTimer(_ => Refresh(), null, _options.ReloadInterval, _options.ReloadInterval);
    }

    /// <summary>The model decisions use; null when none could be loaded.</summary>
    public ServingModel? Champion => _champion.Model;

    /// <summary>The shadow model, if configured and loadable.</summary>
    public ServingModel? Challenger => _challenger.Model;

    /// <summary>Looks at both files now and loads whichever changed.</summary>
    public void Refresh()
    {
        lock (_reloading)
        {
            var champion = Reload(_champion, "champion");
            if (!ReferenceEquals(champion.Model, _champion.Model) && champion.Model is { } model)
            {
                _drift.Reset(model.Version, model.Distribution);
            }

            _champion = champion;
            _challenger = Reload(_challenger, "challenger");
        }
    }

    public void Dispose() => _timer.Dispose();

    private Slot Reload(Slot slot, string role)
    {
        if (slot.Path is null)
        {
            return slot;
        }

        var file = new FileInfo(slot.Path);
        var stamp = file.Exists ? (file.LastWriteTimeUtc, file.Length) : default;
        if (stamp == slot.Stamp && (slot.Model is not null || !file.Exists))
        {
            return slot;
        }

        if (!file.Exists)
        {
            LogMissing(role, slot.Path);
            return slot with { Stamp = stamp };
        }

        try
        {
            var model = ServingModel.Load(slot.Path);
            LogLoaded(role, model.Version, slot.Path);
            return new Slot(slot.Path, model, stamp);
        }
        catch (Exception ex) when (ex is InputDataException or IOException or InvalidOperationException or FormatException)
        {
            // A half-copied or foreign file: keep serving the previous model and try again on the next change.
            LogLoadFailed(ex, role, slot.Path);
            return slot with { Stamp = stamp };
        }
    }

    private static string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(beside) ? beside : Path.GetFullPath(path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pre-credit {Role} model {Version} loaded from {Path}")]
    private partial void LogLoaded(string role, string version, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pre-credit {Role} model file {Path} does not exist")]
    private partial void LogMissing(string role, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pre-credit {Role} model {Path} could not be loaded; the previous model keeps serving")]
    private partial void LogLoadFailed(Exception ex, string role, string path);

    private sealed record Slot(string? Path, ServingModel? Model, (DateTime, long) Stamp);
}
