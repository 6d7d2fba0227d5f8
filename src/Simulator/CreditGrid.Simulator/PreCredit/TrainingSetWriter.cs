using System.Globalization;
using System.Text;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Simulator.PreCredit;

/// <summary>
/// Writes the training CSV of the default model: per enterprise its USCC, the features exactly as the live decision
/// computes them (fold through <see cref="CreditEvaluator"/>, then <see cref="PreCreditFeatureExtractor"/>), the
/// drawn default label and the true PD. <c>uscc</c> and <c>true_pd</c> are not features: train with
/// <c>--id uscc --ignore true_pd</c>.
/// </summary>
public static class TrainingSetWriter
{
    public const string Label = "defaulted";
    public const string IdColumn = "uscc";
    public const string TruePdColumn = "true_pd";

    /// <summary>Summary of a written file.</summary>
    public sealed record Summary(int Rows, int Defaults, double MeanTruePd);

    /// <summary>Folds one simulated enterprise and reads its features as of <paramref name="now"/>.</summary>
    public static PreCreditFeatures Features(CreditEvaluator evaluator, SimulatedBorrower borrower, DateTimeOffset now)
    {
        var state = evaluator.Initial(borrower.Uscc, now);
        long sequence = 0;
        foreach (var e in borrower.Events)
        {
            state = evaluator.Evolve(state, new LoggedCreditEvent(++sequence, e), now);
        }

        state = evaluator.Reevaluate(state, now);
        return PreCreditFeatureExtractor.Extract(state, evaluator.Rules);
    }

    public static async Task<Summary> WriteAsync(TextWriter writer, int enterprises, int seed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var evaluator = new CreditEvaluator(CreditRules.Default);
        var simulator = new BorrowerSimulator(seed, DateOnly.FromDateTime(now.ToOffset(evaluator.Rules.LocalUtcOffset).DateTime));
        await writer.WriteLineAsync(string.Join(',', [IdColumn, .. PreCreditFeatureVector.Names, Label, TruePdColumn]));
        var defaults = 0;
        var pdSum = 0.0;
        var line = new StringBuilder();
        for (var i = 0; i < enterprises; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var borrower = simulator.Next();
            var features = Features(evaluator, borrower, now);
            var pd = BorrowerSimulator.DefaultProbability(borrower.LatentRisk, features);
            var defaulted = simulator.DrawDefault(pd);
            defaults += defaulted ? 1 : 0;
            pdSum += pd;
            line.Clear().Append(borrower.Uscc);
            foreach (var value in PreCreditFeatureVector.ToVector(features))
            {
                line.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }

            line.Append(',').Append(defaulted ? '1' : '0').Append(',').Append(pd.ToString("F6", CultureInfo.InvariantCulture));
            await writer.WriteLineAsync(line.ToString());
        }

        return new Summary(enterprises, defaults, enterprises == 0 ? 0 : pdSum / enterprises);
    }
}
