using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Gateway.Infrastructure;
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
            .WithSummary("Live composite score, dimensions, grade, supervision tier and active warnings of an enterprise.");
        app.MapGroup("/api/v1/government-bodies").WithTags("Government bodies")
            .MapGet("/{uscc}", (string uscc, IGrainFactory grains) => GetAsync(uscc, grains, governmentBody: true))
            .WithSummary("Live evaluation of a government organ or public institution (USCC categories 11 and 12).");
        return app;
    }

    public static async Task<Results<Ok<SubjectResponse>, ProblemHttpResult>> GetAsync(string uscc, IGrainFactory grains, bool governmentBody)
    {
        var check = Uscc.Validate(uscc);
        if (!check.IsValid)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid USCC", check.Message, "uscc", check.Failure!.Value.Code());
        }

        var code = check.Normalised!;
        var isGovernmentBody = check.SubjectType == SubjectType.GovernmentBody;
        if (isGovernmentBody != governmentBody)
        {
            var right = isGovernmentBody ? "/api/v1/government-bodies/" : "/api/v1/enterprises/";
            return Problems.Create(StatusCodes.Status404NotFound, "Not found here", $"{code} is {(isGovernmentBody ? "a government body" : "not a government body")}; look it up at {right}{code}.", "uscc", "wrong_subject_kind");
        }

        ISubjectGrain grain = governmentBody ? grains.GetGrain<IGovernmentBodyGrain>(code) : grains.GetGrain<IEnterpriseGrain>(code);
        var view = await grain.GetViewAsync();
        return view is null
            ? Problems.Create(StatusCodes.Status404NotFound, "Unknown subject", $"No credit record of {code} has been received.", "uscc", "unknown_subject")
            : TypedResults.Ok(SubjectResponse.From(view));
    }
}
