using System.Security.Claims;

namespace CreditGrid.Gateway.Security;

/// <summary>The claims of a CreditGrid token, and how endpoints read them from the caller.</summary>
public static class CallerClaims
{
    /// <summary>Who the caller is (a person or a system account).</summary>
    public const string Subject = "sub";

    /// <summary>One claim per role; see <see cref="Roles"/>.</summary>
    public const string Role = "role";

    /// <summary>The USCC of the organisation the caller acts for: the department's, bank's or enterprise's own code.</summary>
    public const string Uscc = "uscc";

    public static string? SubjectOf(this ClaimsPrincipal caller) => caller.FindFirst(Subject)?.Value;

    /// <summary>The organisation's USCC, normalised as the validator normalises subject codes.</summary>
    public static string? OrganisationOf(this ClaimsPrincipal caller) => caller.FindFirst(Uscc)?.Value.Trim().ToUpperInvariant();

    public static bool HasRole(this ClaimsPrincipal caller, string role) => caller.HasClaim(Role, role);

    public static bool HasAnyRole(this ClaimsPrincipal caller, IReadOnlyList<string> roles)
    {
        // A loop rather than Any(caller.HasRole): that allocated a delegate and an enumerator on every read.
        for (var i = 0; i < roles.Count; i++)
        {
            if (caller.HasRole(roles[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The department whose records the caller may submit, or null when it may submit for any department
    /// (<see cref="Roles.Admin"/>). Only meaningful once <see cref="Policies.EventsWrite"/> has admitted the caller.
    /// A department without an organisation matches no record: the scope fails closed.
    /// </summary>
    public static string? OwnDepartmentScope(this ClaimsPrincipal caller) =>
        caller.HasRole(Roles.Admin) ? null : caller.OrganisationOf() ?? string.Empty;
}
