using System.CommandLine;

namespace CreditGrid.Simulator.Cli;

/// <summary><c>post</c>: sends the province's history to a gateway in NDJSON batches, then optionally a live trickle.</summary>
public static class PostCommand
{
    // The gateway refuses more than 10,000 records per request by default.
    private const int MaxBatch = 10_000;

    /// <summary>Environment variable read when <c>--token</c> is not given, so the token stays out of shell history.</summary>
    public const string TokenVariable = "CREDITGRID_TOKEN";
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    public static Command Create(TimeProvider time, HttpMessageHandler? handler)
    {
        var province = new ProvinceArguments();
        var url = new Option<string>("--url") { Description = "Base URL of the gateway.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var batch = new Option<int>("--batch") { Description = $"Records per request (1–{MaxBatch:N0}).", DefaultValueFactory = _ => 5_000 };
        batch.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > MaxBatch)
            {
                r.AddError($"--batch must be between 1 and {MaxBatch:N0}.");
            }
        });
        var rate = new Option<double>("--rate") { Description = "Events per second of the live trickle; 0 = as fast as possible. The history is always posted as fast as the gateway answers.", DefaultValueFactory = _ => 0 };
        rate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var v && (v < 0 || !double.IsFinite(v)))
            {
                r.AddError("--rate must be 0 or a positive number.");
            }
        });
        var duration = new Option<TimeSpan>("--duration")
        {
            Description = "Length of the live trickle, e.g. 60s, 5m, 1h.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(60),
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : null;
                if (DurationParser.TryParse(text, out var value) && value > TimeSpan.Zero && value <= MaxDuration)
                {
                    return value;
                }

                r.AddError($"--duration '{text}' is not a duration between 1ms and 24h (e.g. 60s, 5m).");
                return default;
            },
        };
        var live = new Option<bool>("--live") { Description = "After the history, keep posting live records at --rate for --duration." };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow a --url that is not a loopback address." };
        var token = new Option<string?>("--token")
        {
            Description = $"Bearer token of a department or admin (the gateway's 'token' command mints one); defaults to ${TokenVariable}.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
        };

        var command = new Command("post", "Post the simulated province to a gateway's POST /api/v1/events.") { url, batch, rate, duration, live, allowRemote, token };
        province.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            if (IngestTarget.Resolve(parseResult.GetRequiredValue(url), parseResult.GetValue(allowRemote), out var problem) is not { } endpoint)
            {
                await stderr.WriteLineAsync(problem);
                return 2;
            }

            var plan = new PostPlan(parseResult.GetValue(batch), parseResult.GetValue(rate), parseResult.GetValue(live) ? parseResult.GetValue(duration) : null);
            using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
            http.Timeout = TimeSpan.FromMinutes(2);
            if (parseResult.GetValue(token) is { Length: > 0 } bearer)
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer.Trim());
            }

            var runner = new PostRunner(new IngestClient(http, endpoint), time);
            var simulator = new ProvinceSimulator(province.Read(parseResult), time.GetUtcNow());
            try
            {
                await stdout.WriteLineAsync($"Posting the history of {simulator.Subjects.Count:N0} subjects to {endpoint} in batches of {plan.BatchSize:N0}…");
                var (history, historyElapsed) = await runner.PostHistoryAsync(simulator, plan, cancellationToken);
                await Report(stdout, "History", history, historyElapsed);
                if (plan.LiveDuration is { } liveDuration)
                {
                    var pace = plan.EventsPerSecond > 0 ? $"{plan.EventsPerSecond:N1} events/s" : "as fast as possible";
                    await stdout.WriteLineAsync($"Live trickle at {pace} for {liveDuration.TotalSeconds:N0} s…");
                    var (trickle, trickleElapsed) = await runner.PostLiveAsync(simulator, plan, liveDuration, cancellationToken);
                    await Report(stdout, "Live", trickle, trickleElapsed);
                }

                return 0;
            }
            catch (IngestFailedException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await stderr.WriteLineAsync("Cancelled.");
                return 130;
            }
        });
        return command;
    }

    private static async Task Report(TextWriter output, string phase, IngestTally tally, TimeSpan elapsed)
    {
        var perSecond = elapsed > TimeSpan.Zero ? tally.Posted / elapsed.TotalSeconds : 0;
        await output.WriteLineAsync(
            $"{phase}: {tally.Posted:N0} records in {tally.Batches:N0} batches, {elapsed.TotalSeconds:F1} s, {perSecond:N0} events/s — " +
            $"accepted {tally.Accepted:N0}, duplicate {tally.Duplicates:N0}, rejected {tally.Rejected:N0}");
        foreach (var r in tally.FirstRejections)
        {
            await output.WriteLineAsync($"  rejected {r.RecordId}: {r.Field} {r.Reason} — {r.Message}");
        }
    }
}
