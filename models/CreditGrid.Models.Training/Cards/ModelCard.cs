using System.Text.Json;
using System.Text.Json.Serialization;
using CreditGrid.Models.Training.Data;
using CreditGrid.Models.Training.Evaluation;
using CreditGrid.Models.Training.Training;

namespace CreditGrid.Models.Training.Cards;

/// <summary>Facts about the training file.</summary>
/// <param name="File">File name (without its directory, so cards do not leak local paths).</param>
/// <param name="Sha256">SHA-256 of the file bytes, lower-case hex.</param>
/// <param name="Rows">Data rows.</param>
/// <param name="Positives">Rows of the positive class.</param>
/// <param name="Label">Label column.</param>
/// <param name="Id">Identifier column excluded from the features.</param>
public sealed record DataSummary(string File, string Sha256, int Rows, int Positives, string Label, string? Id);

/// <summary>Mean and sample standard deviation of a metric across folds.</summary>
/// <param name="Mean">Mean across folds.</param>
/// <param name="Sd">Sample standard deviation across folds.</param>
public sealed record Spread(double Mean, double Sd);

/// <summary>Cross-validated cost analysis under a cost matrix.</summary>
/// <param name="CostFalseNegative">Cost of accepting a bad risk.</param>
/// <param name="CostFalsePositive">Cost of rejecting a good risk.</param>
/// <param name="CostPerApplicant">Mean held-out cost per applicant across folds, threshold chosen inside each fold's training rows.</param>
/// <param name="AcceptAllCost">Cost per applicant of accepting everyone.</param>
/// <param name="RejectAllCost">Cost per applicant of rejecting everyone.</param>
/// <param name="FinalThreshold">Threshold for the final model, chosen on the pooled out-of-fold predictions.</param>
public sealed record CostSummary(
    double CostFalseNegative, double CostFalsePositive, Spread CostPerApplicant, double AcceptAllCost, double RejectAllCost, double FinalThreshold);

/// <summary>Cross-validation outcome.</summary>
/// <param name="Folds">Number of folds.</param>
/// <param name="Seed">Seed of the fold assignment and learners.</param>
/// <param name="Stratified">Always true: folds keep the class ratio.</param>
/// <param name="PerFold">Held-out metrics of each fold.</param>
/// <param name="Auc">AUC across folds.</param>
/// <param name="Ks">KS across folds.</param>
/// <param name="Brier">Brier score across folds.</param>
/// <param name="Pooled">Metrics of all out-of-fold predictions taken together.</param>
/// <param name="Calibration">Deciles of pooled out-of-fold probability against the observed rate.</param>
/// <param name="Cost">Cost analysis, when a cost matrix was given.</param>
public sealed record ValidationSummary(
    int Folds,
    int Seed,
    bool Stratified,
    IReadOnlyList<FoldResult> PerFold,
    Spread Auc,
    Spread Ks,
    Spread Brier,
    MetricSet Pooled,
    IReadOnlyList<CalibrationBin> Calibration,
    CostSummary? Cost);

/// <summary>
/// The record kept beside every model: what it was trained on, how, and how well it did out of sample.
/// A model is only promoted together with its card.
/// </summary>
/// <param name="Version">yyyyMMdd-HHmmss-&lt;first 8 hex of the data hash&gt;, UTC.</param>
/// <param name="CreatedAt">Training time, UTC.</param>
/// <param name="ModelFile">File name of the model this card describes.</param>
/// <param name="Data">Training data.</param>
/// <param name="Features">Feature columns with their inferred type and encoding.</param>
/// <param name="Trainer">Learner and hyper-parameters.</param>
/// <param name="Validation">Cross-validation results.</param>
public sealed record ModelCard(
    string Version,
    DateTimeOffset CreatedAt,
    string ModelFile,
    DataSummary Data,
    IReadOnlyList<FeatureColumn> Features,
    TrainerSettings Trainer,
    ValidationSummary Validation)
{
    /// <summary>With a known true-probability column: predicted against true rate by decile of out-of-fold prediction.</summary>
    public IReadOnlyList<TruthBin>? TruthCalibration { get; init; }

    /// <summary>Serializer options shared by writing and reading cards.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,

        // A degenerate fold can yield NaN; writing it as a literal beats failing after minutes of training.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The card as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a card written by <see cref="ToJson"/>.</summary>
    public static ModelCard FromJson(string json) =>
        JsonSerializer.Deserialize<ModelCard>(json, JsonOptions) ?? throw new InvalidDataException("empty model card");
}
