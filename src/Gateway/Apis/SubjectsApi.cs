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
            .MapGet("/{uscc}", (string uscc, IGrainFactory grains) => GetAsync(uscc, grains, governmentBody: false))
            .RequireAuthorization(Policies.CreditRead)
            .WithSummary("Live composite score, dimensions, grade, supervision tier and active warnings of an enterprise.")
            .Audited(AuditActions.CreditRead)
            .RequireSubjectReadAccess();
        app.MapGroup("/api/v1/enterprises").WithTags("Enterprises")
            .MapGet("/{uscc}/explanation", (string uscc, IGrainFactory grains) => GetExplanationAsync(uscc, grains))
            .RequireAuthorization(Policies.CreditRead)
            .WithSummary("Why the enterprise has its score: the records that move it (dimension, points now, when the effect ends), largest first, and the caps on its grade.")
            .Audited(AuditActions.CreditExplain)
            .RequireSubjectReadAccess();
        app.MapGroup("/api/v1/government-bodies").WithTags("Government bodies")
            .MapGet("/{uscc}", (string uscc, IGrainFactory grains) => GetAsync(uscc, grains, governmentBody: true))
            .RequireAuthorization(Policies.CreditReadAll)
            .WithSummary("Live evaluation of a government organ or public institution (USCC categories 11 and 12).")
            .Audited(AuditActions.CreditRead);
        return app;
    }

    public static async Task<Results<Ok<SubjectResponse>, ProblemHttpResult>> GetAsync(string uscc, IGrainFactory grains, bool governmentBody)
    {
        if (Resolve(uscc, grains, governmentBody) is not { } grain)
        {
            return Refusal(uscc, governmentBody);
        }

        var view = await grain.GetViewAsync();
        return view is null ? Unknown(Uscc.Validate(uscc).Normalised!) : TypedResults.Ok(SubjectResponse.From(view));
    }

    public static async Task<Results<Ok<EvaluationExplanation>, ProblemHttpResult>> GetExplanationAsync(string uscc, IGrainFactory grains)
    {
        if (Resolve(uscc, grains, governmentBody: false) is not { } grain)
        {
            return Refusal(uscc, governmentBody: false);
        }

        var explanation = await grain.GetExplanationAsync();
        return explanation is null ? Unknown(Uscc.Validate(uscc).Normalised!) : TypedResults.Ok(explanation);
    }

    /// <summary>The subject's grain, or null when the code is invalid or names the other kind of subject.</summary>
    private static ISubjectGrain? Resolve(string uscc, IGrainFactory grains, bool governmentBody)
    {
        var check = Uscc.Validate(uscc);
        if (!check.IsValid || (check.SubjectType == SubjectType.GovernmentBody) != governmentBody)
        {
            return null;
        }

        return governmentBody ? grains.Reference<IGovernmentBodyGrain>(check.Normalised!) : grains.Reference<IEnterpriseGrain>(check.Normalised!);
    }

    private static ProblemHttpResult Refusal(string uscc, bool governmentBody)
    {
        var check = Uscc.Validate(uscc);
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
