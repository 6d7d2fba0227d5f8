using CreditGrid.Gateway.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Security;

/// <summary>
/// Applies <see cref="ISubjectAccess"/> to the subject named by the route's <c>{uscc}</c> before the handler runs.
/// An invalid code passes through so the handler answers it with its own 400, naming the failure.
/// </summary>
public static class SubjectAccessFilter
{
    public const string RouteValue = RouteSubject.RouteValue;

    public static TBuilder RequireSubjectReadAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter((context, next) =>
        {
            var refusal = Refusal(context.HttpContext);

            // Roles that see every subject are decided without waiting; only a bank's consent check awaits a grain.
            return refusal.IsCompletedSuccessfully
                ? refusal.Result is { } forbidden ? ValueTask.FromResult<object?>(forbidden) : next(context)
                : DecideLaterAsync(refusal, context, next);
        });

    /// <summary>
    /// The 403 the caller gets for the route's subject, or null when it may read it (or the code is invalid: the handler
    /// answers that with its own 400, naming the failure). The score lookup calls this itself instead of the filter.
    /// </summary>
    public static ValueTask<ProblemHttpResult?> Refusal(HttpContext http)
    {
        if (RouteSubject.Of(http) is not { IsValid: true } check)
        {
            return ValueTask.FromResult<ProblemHttpResult?>(null);
        }

        var access = http.RequestServices.GetRequiredService<ISubjectAccess>();
        var decision = access.CheckReadAsync(http.User, check.Normalised!, http.RequestAborted);
        return decision.IsCompletedSuccessfully ? ValueTask.FromResult(RefusalOf(decision.Result)) : RefusalLaterAsync(decision);
    }

    private static ProblemHttpResult? RefusalOf(AccessDecision decision) =>
        decision.Allowed ? null : Problems.Create(StatusCodes.Status403Forbidden, "Forbidden", decision.Message ?? "Not allowed.", RouteValue, decision.Reason);

    private static async ValueTask<ProblemHttpResult?> RefusalLaterAsync(Task<AccessDecision> decision) => RefusalOf(await decision);

    private static async ValueTask<object?> DecideLaterAsync(ValueTask<ProblemHttpResult?> refusal, EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await refusal is { } forbidden ? forbidden : await next(context);

    /// <summary>
    /// For what only the subject itself may do (manage its authorisations of banks): an enterprise acts for its own
    /// code only; an admin for any.
    /// </summary>
    public static TBuilder RequireOwnSubject<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var check = RouteSubject.Of(http);
            if (check is not { IsValid: true } || http.User.HasRole(Roles.Admin) || http.User.OrganisationOf() == check.Normalised)
            {
                return await next(context);
            }

            return Problems.Create(StatusCodes.Status403Forbidden, "Forbidden", "Only the enterprise itself may manage its authorisations of banks.", RouteValue, SubjectAccess.NotOwnSubject);
        });
}
