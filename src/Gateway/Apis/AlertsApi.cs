using CreditGrid.Grains;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Scoring;
using CreditGrid.Gateway.Audit;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Gateway.Security;
using CreditGrid.Grains.Alerts;
using CreditGrid.Grains.Subjects;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Apis;

/// <summary>The monitoring desk: integrity warnings as they happen, their state, and their lifecycle.</summary>
public static class AlertsApi
{
    private static readonly TimeSpan LivePollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/alerts").WithTags("Alerts");
        group.MapGet("/", QueryAsync)
            .RequireAuthorization(Policies.AlertsRead)
            .WithSummary("Warnings across the province, most severe and newest first (filters: status, severity = minimum severity, city, subject, limit).")
            .Audited(AuditActions.AlertsRead);
        group.MapGet("/live", Live)
            .RequireAuthorization(Policies.AlertsRead)
            .WithSummary("Server-sent events: a `ready` event with the starting feed sequence, then an `alert` event for every warning raised or changed from now on (or after the feed sequence in `after` / Last-Event-ID), and a `heartbeat` when idle.")
            .Audited(AuditActions.AlertsFollow);
        group.MapPost("/{uscc}/{warning}/{action}", ActAsync)
            .RequireAuthorization(Policies.AlertsAct)
            .WithSummary("acknowledge, resolve or escalate one warning (OPEN → ACKNOWLEDGED → RESOLVED | ESCALATED); {warning} is the part after the slash of its id, e.g. W3.")
            .Audited(AuditActions.AlertsAct, AuditDetails.WarningAction);
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<Alert>>, ProblemHttpResult>> QueryAsync(
        IGrainFactory grains, string? status = null, string? severity = null, string? city = null, string? subject = null, int limit = 100)
    {
        if (status is not null && !IsName<WarningStatus>(status))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid status", $"status must be one of open, acknowledged, resolved, escalated; got '{status}'.", "status", "invalid_value");
        }

        if (severity is not null && !IsName<WarningSeverity>(severity))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid severity", $"severity must be one of blue, yellow, orange, red; got '{severity}'.", "severity", "invalid_value");
        }

        if (limit is < 1 or > 1000)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid limit", $"limit must be between 1 and 1000; got {limit}.", "limit", "invalid_value");
        }

        var query = new AlertQuery(
            status is null ? null : Enum.Parse<WarningStatus>(status, ignoreCase: true),
            severity is null ? null : Enum.Parse<WarningSeverity>(severity, ignoreCase: true),
            city,
            subject?.Trim().ToUpperInvariant(),
            limit);
        return TypedResults.Ok(await Desk(grains).QueryAsync(query));
    }

    public static ServerSentEventsResult<object> Live(IGrainFactory grains, HttpRequest request, long? after = null) =>
        TypedResults.ServerSentEvents(Follow(grains, after ?? LastEventId(request), request.HttpContext.RequestAborted));

    public static async Task<Results<Ok<IntegrityWarning>, ProblemHttpResult>> ActAsync(string uscc, string warning, string action, IGrainFactory grains)
    {
        if (!IsName<WarningAction>(action) || !Enum.TryParse<WarningAction>(action, ignoreCase: true, out var move))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Unknown action", $"action must be acknowledge, resolve or escalate; got '{action}'.", "action", "invalid_value");
        }

        var check = Uscc.Validate(uscc);
        if (!check.IsValid)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid USCC", check.Message, "uscc", check.Failure!.Value.Code());
        }

        ISubjectGrain subject = check.SubjectType == Domain.Events.SubjectType.GovernmentBody
            ? grains.Reference<IGovernmentBodyGrain>(check.Normalised!)
            : grains.Reference<IEnterpriseGrain>(check.Normalised!);
        var outcome = await subject.ApplyWarningActionAsync($"{check.Normalised}/{warning}", move);
        return outcome switch
        {
            { Warning: { } changed } => TypedResults.Ok(changed),
            { Error: WarningActionError.NotAllowedFromStatus } => Problems.Create(StatusCodes.Status409Conflict, "Not allowed now", $"A warning cannot be {move.ToString().ToLowerInvariant()}d from its current status (OPEN → ACKNOWLEDGED → RESOLVED | ESCALATED).", "action", "not_allowed_from_status"),
            _ => Problems.Create(StatusCodes.Status404NotFound, "Unknown warning", $"{check.Normalised} has no warning {warning}.", "warning", "unknown_warning"),
        };
    }

    /// <remarks>
    /// The first event goes out at once: the server sends response headers with the first bytes, and a client that
    /// waits for them before acting must not wait for the next warning. Heartbeats keep idle proxies from closing.
    /// </remarks>
    private static async IAsyncEnumerable<SseItem<object>> Follow(IGrainFactory grains, long? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var desk = Desk(grains);
        var last = after ?? await desk.GetLastFeedSequenceAsync();
        yield return new SseItem<object>(new { feedSequence = last }, "ready");
        var idleSince = DateTime.UtcNow;
        while (!cancellationToken.IsCancellationRequested)
        {
            var alerts = await desk.GetFeedAsync(last, 500);
            foreach (var alert in alerts)
            {
                last = alert.FeedSequence;
                idleSince = DateTime.UtcNow;
                yield return new SseItem<object>(alert, "alert") { EventId = alert.FeedSequence.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }

            if (DateTime.UtcNow - idleSince > HeartbeatInterval)
            {
                idleSince = DateTime.UtcNow;
                yield return new SseItem<object>(new { feedSequence = last }, "heartbeat");
            }

            if (alerts.Count == 0)
            {
                try
                {
                    await Task.Delay(LivePollInterval, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>Only names: Enum.TryParse would also take "2" and silently mean a member.</summary>
    private static bool IsName<T>(string value)
        where T : struct, Enum =>
        Enum.GetNames<T>().Contains(value, StringComparer.OrdinalIgnoreCase);

    private static long? LastEventId(HttpRequest request) =>
        long.TryParse(request.Headers["Last-Event-ID"], out var id) ? id : null;

    private static IAlertDeskGrain Desk(IGrainFactory grains) => grains.Reference<IAlertDeskGrain>(IAlertDeskGrain.ProvinceKey);
}
