namespace CreditGrid.Gateway.Security;

/// <summary>The roles a caller's token may carry in its <c>role</c> claim (one or more).</summary>
public static class Roles
{
    /// <summary>A data-providing department: submits its own records, reads any subject.</summary>
    public const string Department = "department";

    /// <summary>A supervising authority (发改, 市场监管…): reads any subject, works the alert desk.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>The monitoring desk: reads any subject, watches and acts on warnings.</summary>
    public const string Monitoring = "monitoring";

    /// <summary>A bank: reads an enterprise only while that enterprise has authorised it.</summary>
    public const string Bank = "bank";

    /// <summary>An enterprise: reads its own evaluation only.</summary>
    public const string Enterprise = "enterprise";

    /// <summary>A member of the public: public lookups only, none of the evaluation endpoints.</summary>
    public const string Public = "public";

    /// <summary>Operators of the grid: everything, including administration endpoints.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Department, Supervisor, Monitoring, Bank, Enterprise, Public, Admin];

    /// <summary>Roles that act for an organisation and so must name it in the <c>uscc</c> claim.</summary>
    public static readonly IReadOnlyList<string> ActingForOrganisation = [Department, Bank, Enterprise];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
