using System.Globalization;
using System.Text.Json;
using CreditGrid.Domain.PreCredit;

namespace CreditGrid.Storage.PreCredit;

/// <summary>Rows a training-set export wrote and the decisions it left out.</summary>
/// <param name="Written">Settled decisions written as rows.</param>
/// <param name="Unsettled">Decisions whose latest outcome is still a running loan (granted), left out.</param>
public sealed record TrainingSetCounts(int Written, int Unsettled);

/// <summary>
/// The next training set: every decision whose loan has settled, as its feature vector at decision time and a
/// <c>defaulted</c> label (1 for overdue or defaulted, 0 for repaid). The columns are <c>decision_id</c>, the
/// <see cref="PreCreditFeatureVector.Names"/> and <c>defaulted</c>, so the file trains directly with
/// <c>creditgrid-models train --label defaulted --id decision_id</c>.
/// </summary>
public static class TrainingSetExport
{
    /// <summary>Identifier column.</summary>
    public const string IdColumn = "decision_id";

    /// <summary>Label column.</summary>
    public const string LabelColumn = "defaulted";

    /// <summary>The header row's columns.</summary>
    public static IReadOnlyList<string> Columns { get; } = [IdColumn, .. PreCreditFeatureVector.Names, LabelColumn];

    /// <summary>
    /// Writes the header and one row per settled decision to <paramref name="writer"/>, lines ending in <c>\n</c>.
    /// </summary>
    /// <param name="rows">Decisions joined to their latest outcome, as <see cref="IPreCreditDecisionStore.ExportAsync"/> yields them.</param>
    /// <param name="writer">Destination.</param>
    /// <param name="since">When given, only decisions decided at or after it.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    public static async Task<TrainingSetCounts> WriteAsync(
        IAsyncEnumerable<DecisionWithOutcome> rows, TextWriter writer, DateTimeOffset? since = null, CancellationToken cancellationToken = default)
    {
        await writer.WriteAsync(string.Join(',', Columns) + "\n").ConfigureAwait(false);
        var (written, unsettled) = (0, 0);
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (since is { } from && row.Decision.DecidedAt < from)
            {
                continue;
            }

            // Only settled loans teach the model something: still granted (running) loans are left out.
            if (Label(row.Outcome.Status) is not { } label)
            {
                unsettled++;
                continue;
            }

            if (Line(row.Decision, label) is { } line)
            {
                await writer.WriteAsync(line).ConfigureAwait(false);
                written++;
            }
        }

        return new TrainingSetCounts(written, unsettled);
    }

    /// <summary>1 for overdue or defaulted, 0 for repaid, null while the loan is still running.</summary>
    public static char? Label(string status) => status switch
    {
        OutcomeStatuses.Repaid => '0',
        OutcomeStatuses.Overdue or OutcomeStatuses.Defaulted => '1',
        _ => null,
    };

    private static string? Line(StoredDecision decision, char label)
    {
        using var document = JsonDocument.Parse(decision.Document);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var features = document.RootElement.TryGetProperty("features", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        var line = new System.Text.StringBuilder(decision.Id.ToString());
        foreach (var name in PreCreditFeatureVector.Names)
        {
            line.Append(',');
            if (features.ValueKind == JsonValueKind.Object && features.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                line.Append(value.GetDouble().ToString("R", CultureInfo.InvariantCulture));
            }
        }

        return line.Append(',').Append(label).Append('\n').ToString();
    }
}
