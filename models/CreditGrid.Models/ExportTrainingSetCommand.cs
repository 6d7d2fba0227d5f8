using System.CommandLine;
using System.Globalization;
using CreditGrid.Storage.PreCredit;
using Npgsql;

namespace CreditGrid.Models;

/// <summary>
/// <c>export-training-set</c>: joins the pre-credit decisions in PostgreSQL to the outcomes the banks reported and
/// writes the settled ones as the next training CSV.
/// </summary>
internal static class ExportTrainingSetCommand
{
    /// <summary>Environment variable read when <c>--connection</c> is not given; the silo and gateway read the same one.</summary>
    public const string ConnectionVariable = "ConnectionStrings__CreditGrid";

    // Dates without a time are days on the platform's clock (China Standard Time), as in the audit search.
    private static readonly TimeSpan PlatformOffset = TimeSpan.FromHours(8);

    public static Command Create(Func<string, string?> environment)
    {
        var connection = new Option<string?>("--connection") { Description = $"Npgsql connection string of the decision store (default: the {ConnectionVariable} environment variable)" };
        var output = new Option<string>("--out") { Description = "CSV file to write", Required = true };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only decisions decided at or after this date (yyyy-MM-dd, China Standard Time) or ISO 8601 time",
            CustomParser = r => ParseSince(r.Tokens[0].Value, out var value) ? value : Fail(r),
        };
        var command = new Command("export-training-set", "Write the decisions with a settled loan outcome as a training CSV (label defaulted, id decision_id).")
        {
            connection, output, since,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(connection) ?? environment(ConnectionVariable),
            parse.GetRequiredValue(output),
            parse.GetValue(since),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            ct));
        return command;

        static DateTimeOffset? Fail(System.CommandLine.Parsing.ArgumentResult r)
        {
            r.AddError($"--since '{r.Tokens[0].Value}' is not a date (yyyy-MM-dd) or an ISO 8601 time");
            return null;
        }
    }

    /// <summary>The command's work; exit code 2 when the store cannot be read.</summary>
    public static async Task<int> RunAsync(string? connectionString, string outPath, DateTimeOffset? since, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync($"error: no connection string: pass --connection or set {ConnectionVariable}");
            return ModelsCommandLine.DataError;
        }

        NpgsqlDataSource dataSource;
        try
        {
            dataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"error: the connection string is not valid: {ex.Message}");
            return ModelsCommandLine.DataError;
        }

        // Written beside the destination and moved into place, so a failed export never leaves half a training set.
        var partial = outPath + ".partial";
        try
        {
            await using (dataSource)
            await using (var store = new PostgresPreCreditDecisionStore(dataSource))
            {
                TrainingSetCounts counts;
                await using (var writer = new StreamWriter(partial, append: false, new System.Text.UTF8Encoding(false)))
                {
                    counts = await TrainingSetExport.WriteAsync(store.ExportAsync(cancellationToken), writer, since, cancellationToken);
                }

                File.Move(partial, outPath, overwrite: true);
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"wrote {counts.Written} rows to {outPath}; left out {counts.Unsettled} decisions whose loan has not settled (latest outcome granted)"));
                return 0;
            }
        }
        catch (NpgsqlException ex)
        {
            Discard(partial);
            await error.WriteLineAsync($"error: cannot read the decision store: {OneLine(ex)}");
            return ModelsCommandLine.DataError;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Discard(partial);
            await error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message}");
            return ModelsCommandLine.UnexpectedError;
        }
    }

    internal static bool ParseSince(string text, out DateTimeOffset value)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), PlatformOffset);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static void Discard(string partial)
    {
        if (File.Exists(partial))
        {
            File.Delete(partial);
        }
    }

    private static string OneLine(Exception ex)
    {
        var message = ex.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) ? $"{ex.Message} ({inner.Message})" : ex.Message;
        return message.ReplaceLineEndings(" ");
    }
}
