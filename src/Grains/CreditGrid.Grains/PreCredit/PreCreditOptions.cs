using CreditGrid.Domain.PreCredit;

namespace CreditGrid.Grains.PreCredit;

/// <summary>Configuration of the pre-credit desk (<c>CreditGrid:PreCredit</c>).</summary>
public sealed class PreCreditOptions
{
    public const string Section = "CreditGrid:PreCredit";

    /// <summary>The model the decisions use; relative paths are tried against the application directory first.</summary>
    public string ModelPath { get; set; } = "models/precredit-default.zip";

    /// <summary>An optional challenger scored in shadow on every decision; its output is recorded, never used.</summary>
    public string? ChallengerPath { get; set; }

    /// <summary>How often each silo looks at the model files; a changed file is loaded without restart.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an indicative decision stands (DOMAIN §9: 30 days).</summary>
    public TimeSpan DecisionValidity { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The policy numbers (limits, bands, minimum age).</summary>
    public PreCreditPolicy Policy { get; set; } = new();

    /// <summary>Version of the policy numbers, recorded with every decision.</summary>
    public string PolicyVersion { get; set; } = "precredit-policy-v1";

    /// <summary>Target of registered enterprises by end-2023 (the seed's raised figure).</summary>
    public long TargetEnterprises { get; set; } = 150_000;

    /// <summary>Target loan amount by end-2023, yuan (the seed's raised figure, ¥70 bn).</summary>
    public decimal TargetAmount { get; set; } = 70_000_000_000m;
}
