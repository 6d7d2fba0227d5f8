using CreditGrid.Domain.Identifiers;
using CreditGrid.Gateway.Infrastructure;

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
            var http = context.HttpContext;
            if (RouteSubject.Of(http) is not { IsValid: true } check)
            {
                return next(context);
            }

            var access = http.RequestServices.GetRequiredService<ISubjectAccess>();
            var decision = access.CheckReadAsync(http.User, check.Normalised!, http.RequestAborted);

            // Roles that see every subject are decided without waiting; only a bank's consent check awaits a grain.
            return decision.IsCompletedSuccessfully ? Decide(decision.Result, context, next) : DecideLaterAsync(decision, context, next);
        });

    private static ValueTask<object?> Decide(AccessDecision decision, EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        decision.Allowed
            ? next(context)
            : ValueTask.FromResult<object?>(Problems.Create(StatusCodes.Status403Forbidden, "Forbidden", decision.Message ?? "Not allowed.", RouteValue, decision.Reason));

    private static async ValueTask<object?> DecideLaterAsync(Task<AccessDecision> decision, EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await Decide(await decision, context, next);

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
