using Microsoft.AspNetCore.Authorization;

namespace CreditGrid.Gateway.Security;

/// <summary>
/// Authorisation policies, named by what they allow so that endpoints added later reuse them. A policy admits by
/// role only; which subject a caller may see is decided per request by <see cref="ISubjectAccess"/>.
/// </summary>
public static class Policies
{
    /// <summary>Submit credit records: departments (their own records only) and admins (any department).</summary>
    public const string EventsWrite = "events.write";

    /// <summary>
    /// Read an enterprise's evaluation: every role but <c>public</c>; enterprises and banks are further limited to
    /// the subjects <see cref="ISubjectAccess"/> allows them.
    /// </summary>
    public const string CreditRead = "credit.read";

    /// <summary>Read any subject's evaluation without a per-subject check: supervisors, monitoring, departments, admins.</summary>
    public const string CreditReadAll = "credit.read.all";

    /// <summary>Query integrity warnings and follow the live feed.</summary>
    public const string AlertsRead = "alerts.read";

    /// <summary>Acknowledge, resolve or escalate a warning.</summary>
    public const string AlertsAct = "alerts.act";

    /// <summary>City and county aggregates: any authenticated role.</summary>
    public const string CitiesRead = "cities.read";

    /// <summary>The demo province's helper endpoints: any authenticated role.</summary>
    public const string DemoUse = "demo.use";

    /// <summary>Administration (audit, rules, operations dashboards): admins only.</summary>
    public const string Admin = "admin";

    /// <summary>Ask for and follow pre-credit decisions: banks (for themselves), and admins.</summary>
    public const string PreCredit = "precredit";

    /// <summary>Platform figures of 秦信融: banks, supervisors, admins.</summary>
    public const string PreCreditFigures = "precredit.figures";

    /// <summary>Grant, list and revoke an enterprise's authorisations of banks: the enterprise itself, admins.</summary>
    public const string ConsentManage = "consent.manage";

    /// <summary>Issue a special credit report: the enterprise itself, supervisors, admins, and banks it authorised.</summary>
    public const string ReportsIssue = "reports.issue";

    /// <summary>Who each policy admits.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> AdmittedRoles = new Dictionary<string, IReadOnlyList<string>>
    {
        [EventsWrite] = [Roles.Department, Roles.Admin],
        [CreditRead] = [Roles.Supervisor, Roles.Monitoring, Roles.Department, Roles.Admin, Roles.Enterprise, Roles.Bank],
        [CreditReadAll] = [Roles.Supervisor, Roles.Monitoring, Roles.Department, Roles.Admin],
        [AlertsRead] = [Roles.Supervisor, Roles.Monitoring, Roles.Admin],
        [AlertsAct] = [Roles.Monitoring, Roles.Supervisor, Roles.Admin],
        [CitiesRead] = Roles.All,
        [DemoUse] = Roles.All,
        [Admin] = [Roles.Admin],
        [PreCredit] = [Roles.Bank, Roles.Admin],
        [PreCreditFigures] = [Roles.Bank, Roles.Supervisor, Roles.Admin],
        [ConsentManage] = [Roles.Enterprise, Roles.Admin],
        [ReportsIssue] = [Roles.Enterprise, Roles.Supervisor, Roles.Admin, Roles.Bank],
    };

    public static void AddCreditGridPolicies(this AuthorizationOptions options)
    {
        // An endpoint mapped without a policy still needs a caller with a known role: forgetting one never opens it.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.All).Build();
        foreach (var (name, roles) in AdmittedRoles)
        {
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().RequireRole(roles));
        }
    }
}
