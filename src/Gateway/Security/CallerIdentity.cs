using System.Security.Claims;

namespace CreditGrid.Gateway.Security;

/// <summary>
/// The identity a validated token proves, indexed by claim type and frozen, so that one instance can serve every
/// request that presents the same token (<see cref="ValidatedTokenCache"/>). Role checks (policies, subject access)
/// and claim reads (audit, department scope) are dictionary lookups instead of scans with a new predicate each, which
/// was a tenth of what a score lookup allocated.
/// </summary>
public sealed class CallerIdentity : ClaimsIdentity
{
    private readonly Dictionary<string, Claim[]> _byType;
    private readonly bool _frozen;

    public CallerIdentity(ClaimsIdentity validated)
        : base(validated.Claims, validated.AuthenticationType, validated.NameClaimType, validated.RoleClaimType)
    {
        _byType = base.Claims.GroupBy(c => c.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        Roles = [.. FindAll(RoleClaimType).Select(c => c.Value)];
        _frozen = true;
    }

    /// <summary>The values of the role claims, in token order.</summary>
    public IReadOnlyList<string> Roles { get; }

    public override Claim? FindFirst(string type) =>
        _byType.TryGetValue(type, out var claims) ? claims[0] : null;

    public override IEnumerable<Claim> FindAll(string type) =>
        _byType.TryGetValue(type, out var claims) ? claims : [];

    public override bool HasClaim(string type, string value)
    {
        if (_byType.TryGetValue(type, out var claims))
        {
            foreach (var claim in claims)
            {
                if (string.Equals(claim.Value, value, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public override void AddClaim(Claim claim) => WhenNotFrozen(() => base.AddClaim(claim));

    public override void AddClaims(IEnumerable<Claim?> claims) => WhenNotFrozen(() => base.AddClaims(claims));

    public override bool TryRemoveClaim(Claim? claim) => _frozen ? throw Frozen() : base.TryRemoveClaim(claim);

    public override void RemoveClaim(Claim? claim) => WhenNotFrozen(() => base.RemoveClaim(claim));

    public override ClaimsIdentity Clone() => new ClaimsIdentity(this);

    private void WhenNotFrozen(Action change)
    {
        if (_frozen)
        {
            throw Frozen();
        }

        change();
    }

    private static InvalidOperationException Frozen() =>
        new("A caller's identity is shared by every request presenting the same token and cannot be changed; clone it first.");
}
