using CreditGrid.Domain.Identifiers;

namespace CreditGrid.Gateway.Security;

/// <summary>What makes a token's claims coherent; checked when a token is minted and again when one is presented.</summary>
public static class TokenRules
{
    /// <returns>Null when the claims are coherent, else why not.</returns>
    public static string? Check(IReadOnlyCollection<string> roles, string? uscc)
    {
        if (roles.Count == 0)
        {
            return "a token needs at least one role";
        }

        if (roles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } unknown)
        {
            return $"'{unknown}' is not a role; roles are {string.Join(", ", Roles.All)}";
        }

        if (uscc is not null && Uscc.Validate(uscc) is { IsValid: false } check)
        {
            return $"uscc '{uscc}' is not a valid USCC: {check.Message}";
        }

        if (uscc is null && roles.FirstOrDefault(r => Roles.ActingForOrganisation.Contains(r)) is { } actingRole)
        {
            return $"the role {actingRole} acts for an organisation, so the token needs its uscc";
        }

        return null;
    }
}
