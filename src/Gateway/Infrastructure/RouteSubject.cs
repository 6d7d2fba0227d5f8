using CreditGrid.Domain.Identifiers;

namespace CreditGrid.Gateway.Infrastructure;

/// <summary>
/// The subject a request's <c>{uscc}</c> route value names, validated once per request: the access check, the audit
/// record and the handler all need it, and validating it three times was a measurable share of a score lookup.
/// </summary>
public static class RouteSubject
{
    public const string RouteValue = "uscc";

    /// <summary>The check of the route's code, or null when the route has no <c>{uscc}</c>.</summary>
    public static UsccCheck? Of(HttpContext http)
    {
        if (http.Features.Get<UsccCheck>() is { } known)
        {
            return known;
        }

        if (http.GetRouteValue(RouteValue) is not string raw)
        {
            return null;
        }

        var check = Uscc.Validate(raw);
        http.Features.Set(check);
        return check;
    }
}
