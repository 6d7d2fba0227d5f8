namespace CreditGrid.Gateway.PreCredit;

/// <summary>How a gateway admits pre-credit decisions (configuration section <c>CreditGrid:PreCredit:Admission</c>).</summary>
public sealed class DecisionAdmissionOptions
{
    public const string Section = "CreditGrid:PreCredit:Admission";

    /// <summary>
    /// Decisions worked on at once. A bound on work in progress, not a CPU schedule: in a cluster, or with the
    /// PostgreSQL decision store, a decision spends most of its time waiting for grain calls and its commit, so a
    /// bound near the core count would idle the gateway.
    /// </summary>
    public int MaxConcurrent { get; set; } = 256;

    /// <summary>Decisions that may wait for admission, oldest first; one more is refused with 503.</summary>
    public int QueueLimit { get; set; } = 4096;

    /// <summary>The section's settings; out-of-range values stop the gateway at start with the key.</summary>
    public static DecisionAdmissionOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<DecisionAdmissionOptions>() ?? new DecisionAdmissionOptions();
        if (options.MaxConcurrent < 1)
        {
            throw new InvalidOperationException($"{Section}:MaxConcurrent must be at least 1; got {options.MaxConcurrent}.");
        }

        if (options.QueueLimit < 0)
        {
            throw new InvalidOperationException($"{Section}:QueueLimit must be 0 or more; got {options.QueueLimit}.");
        }

        return options;
    }
}
