using System.Security.Claims;

namespace CreditGrid.Gateway.Security;

/// <summary>Whether a caller may see one subject, and if not, the reason code its 403 carries.</summary>
public sealed record AccessDecision(bool Allowed, string? Reason = null, string? Message = null)
{
    public static readonly AccessDecision Allow = new(true);

    public static AccessDecision Deny(string reason, string message) => new(false, reason, message);
}

/// <summary>Per-subject read checks, shared by every endpoint that shows one subject's credit information.</summary>
public interface ISubjectAccess
{
    /// <param name="uscc">The subject's normalised USCC.</param>
    Task<AccessDecision> CheckReadAsync(ClaimsPrincipal caller, string uscc, CancellationToken ct = default);
}

/// <summary>
/// Supervisors, monitoring, departments and admins see any subject; an enterprise sees only itself; a bank sees an
/// enterprise only while that enterprise has authorised it. A caller with several roles gets the widest of them.
/// </summary>
public sealed class SubjectAccess(IBankAuthorisations banks) : ISubjectAccess
{
    public static readonly IReadOnlyList<string> SeeEverySubject = [Roles.Supervisor, Roles.Monitoring, Roles.Department, Roles.Admin];

    public const string NotOwnSubject = "not_own_subject";
    public const string NoAuthorisation = "no_authorisation";
    public const string RoleNotPermitted = "role_not_permitted";

    private static readonly Task<AccessDecision> s_allowed = Task.FromResult(AccessDecision.Allow);

    public Task<AccessDecision> CheckReadAsync(ClaimsPrincipal caller, string uscc, CancellationToken ct = default)
    {
        if (caller.HasAnyRole(SeeEverySubject))
        {
            return s_allowed;
        }

        var organisation = caller.OrganisationOf();
        if (caller.HasRole(Roles.Enterprise) && organisation == uscc)
        {
            return s_allowed;
        }

        if (caller.HasRole(Roles.Bank) && organisation is not null)
        {
            return BankAsync(uscc, organisation, ct);
        }

        return Task.FromResult(caller.HasRole(Roles.Enterprise)
            ? AccessDecision.Deny(NotOwnSubject, "An enterprise may see only its own credit evaluation.")
            : AccessDecision.Deny(RoleNotPermitted, "The caller's roles do not allow reading this subject."));
    }

    private async Task<AccessDecision> BankAsync(string uscc, string bank, CancellationToken ct) =>
        await banks.IsAuthorisedAsync(uscc, bank, ct)
            ? AccessDecision.Allow
            : AccessDecision.Deny(NoAuthorisation, $"{uscc} has not authorised the bank {bank} to see its credit evaluation.");
}
