using CreditGrid.Grains;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Scoring;
using CreditGrid.Gateway.Audit;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Gateway.Security;
using CreditGrid.Grains.Subjects;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Apis;

/// <summary>Score lookups: <c>GET /api/v1/enterprises/{uscc}</c> and <c>GET /api/v1/government-bodies/{uscc}</c>.</summary>
public static class SubjectsApi
{
    public static IEndpointRouteBuilder MapSubjectsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/enterprises").WithTags("Enterprises")
            .MapGet("/{uscc}", (string uscc, HttpContext http, IGrainFactory grains, CoHostedDocuments board) => GetAsync(uscc, http, grains, board, governmentBody: false))
            .RequireAuthorization(Policies.CreditRead)
            .WithSummary("Live composite score, dimensions, grade, supervision tier and active warnings of an enterprise.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        app.MapGroup("/api/v1/enterprises").WithTags("Enterprises")
            .MapGet("/{uscc}/explanation", (string uscc, HttpContext http, IGrainFactory grains) => GetExplanationAsync(uscc, http, grains))
            .RequireAuthorization(Policies.CreditRead)
            .WithSummary("Why the enterprise has its score: the records that move it (dimension, points now, when the effect ends), largest first, and the caps on its grade.")
            .Audited(AuditActions.CreditExplain)
            .RequireSubjectReadAccess();
        app.MapGroup("/api/v1/government-bodies").WithTags("Government bodies")
            .MapGet("/{uscc}", (string uscc, HttpContext http, IGrainFactory grains, CoHostedDocuments board) => GetAsync(uscc, http, grains, board, governmentBody: true))
            .RequireAuthorization(Policies.CreditReadAll)
            .WithSummary("Live evaluation of a government organ or public institution (USCC categories 11 and 12).");
        return app;
    }

    /// <summary>
    /// The subject's <see cref="SubjectResponse"/>, answered with the JSON its grain rendered when it last changed: a
    /// lookup serialises nothing. A co-hosted gateway takes the document from the silo's board when the grain has
    /// posted it and it is still valid (see <see cref="SubjectDocumentBoard"/>), and asks the grain otherwise.
    /// </summary>
    /// <remarks>
    /// The busiest endpoint does in one method what the others get from filters: the per-subject access check of
    /// <see cref="SubjectAccessFilter.RequireSubjectReadAccess"/> (enterprise path only, as before), then the audit
    /// record of <see cref="AuditEndpointFilter"/> for every answer, thrown failures included. The filter pipeline cost
    /// a lookup two more awaiting state machines and an invocation context; the behaviour is the same, and the
    /// authorisation matrix and audit tests hold it to that.
    /// </remarks>
    public static async Task<Results<JsonBytesResult<SubjectResponse>, ProblemHttpResult>> GetAsync(string uscc, HttpContext http, IGrainFactory grains, CoHostedDocuments board, bool governmentBody)
    {
        Results<JsonBytesResult<SubjectResponse>, ProblemHttpResult> result;
        try
        {
            // One method, so a lookup that waits on its grain suspends one state machine here, not one per layer.
            var check = CheckOf(uscc, http);
            if (!governmentBody && await SubjectAccessFilter.Refusal(http) is { } forbidden)
            {
                result = forbidden;
            }
            else if (!Names(check, governmentBody))
            {
                result = Refusal(check, governmentBody);
            }
            else
            {
                var code = check.Normalised!;
                result = (board.Read(code, governmentBody) ?? await Grain(code, grains, governmentBody).GetViewDocumentAsync()) is { } document
                    ? new JsonBytesResult<SubjectResponse>(document.Json)
                    : Unknown(code);
            }
        }
        catch (Exception ex)
        {
            // Failed attempts are audited too; the exception handler still answers them.
            await AuditRecording.RecordFailureAsync(http, AuditActions.CreditRead, ex);
            throw;
        }

        var status = ((IStatusCodeHttpResult)result.Result).StatusCode ?? StatusCodes.Status200OK;
        return await AuditRecording.RecordAsync(http, AuditActions.CreditRead, status, null) ? result : AuditRecording.Unavailable(http);
    }

    public static async Task<Results<Ok<EvaluationExplanation>, ProblemHttpResult>> GetExplanationAsync(string uscc, HttpContext http, IGrainFactory grains)
    {
        var check = CheckOf(uscc, http);
        if (Resolve(check, grains, governmentBody: false) is not { } grain)
        {
            return Refusal(check, governmentBody: false);
        }

        var explanation = await grain.GetExplanationAsync();
        return explanation is null ? Unknown(check.Normalised!) : TypedResults.Ok(explanation);
    }

    /// <summary>The check the access filter and the audit record already made of this request's code, or a new one.</summary>
    private static UsccCheck CheckOf(string uscc, HttpContext http) => RouteSubject.Of(http) ?? Uscc.Validate(uscc);

    /// <summary>The subject's grain, or null when the code is invalid or names the other kind of subject.</summary>
    private static ISubjectGrain? Resolve(UsccCheck check, IGrainFactory grains, bool governmentBody) =>
        Names(check, governmentBody) ? Grain(check.Normalised!, grains, governmentBody) : null;

    /// <summary>Whether the code is valid and names the kind of subject the route serves.</summary>
    private static bool Names(UsccCheck check, bool governmentBody) =>
        check.IsValid && (check.SubjectType == SubjectType.GovernmentBody) == governmentBody;

    private static ISubjectGrain Grain(string code, IGrainFactory grains, bool governmentBody) =>
        governmentBody ? grains.Reference<IGovernmentBodyGrain>(code) : grains.Reference<IEnterpriseGrain>(code);

    private static ProblemHttpResult Refusal(UsccCheck check, bool governmentBody)
    {
        if (!check.IsValid)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid USCC", check.Message, "uscc", check.Failure!.Value.Code());
        }

        var code = check.Normalised!;
        var right = governmentBody ? "/api/v1/enterprises/" : "/api/v1/government-bodies/";
        return Problems.Create(StatusCodes.Status404NotFound, "Not found here", $"{code} is {(governmentBody ? "not a government body" : "a government body")}; look it up at {right}{code}.", "uscc", "wrong_subject_kind");
    }

    private static ProblemHttpResult Unknown(string code) =>
        Problems.Create(StatusCodes.Status404NotFound, "Unknown subject", $"No credit record of {code} has been received.", "uscc", "unknown_subject");
}
