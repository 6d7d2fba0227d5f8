namespace CreditGrid.Grains.Rules;

/// <summary>
/// The province's register of activated rules versions (key <see cref="ProvinceKey"/>). Every silo follows the
/// active version; subjects move to it lazily on their next touch, or eagerly city by city.
/// </summary>
[Alias("creditgrid.IRulesGrain")]
public interface IRulesGrain : IGrainWithStringKey
{
    const string ProvinceKey = "610000";

    /// <summary>The active version, or null while the rules loaded at start are in force.</summary>
    [Alias("GetActive")]
    Task<RulesActivation?> GetActiveAsync();

    /// <summary>
    /// Validates a rules file and makes it the active version. A refused file leaves the running rules in force;
    /// activating the active file again changes nothing; a version name once used cannot name other content.
    /// </summary>
    [Alias("Activate")]
    Task<RulesActivationResult> ActivateAsync(string json, string activatedBy);

    /// <summary>Every version activated so far, oldest first, without their files.</summary>
    [Alias("GetHistory")]
    Task<IReadOnlyList<RulesActivation>> GetHistoryAsync();
}

/// <summary>One activation: the version, its file and who made it active when.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.rules-activation.v1")]
public sealed record RulesActivation(
    [property: Id(0)] string Version,
    [property: Id(1)] string Sha256,
    [property: Id(2)] DateTimeOffset ActivatedAt,
    [property: Id(3)] string ActivatedBy,
    [property: Id(4)] string? Json);

/// <summary>The outcome of an activation request.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.rules-activation-result.v1")]
public sealed record RulesActivationResult(
    [property: Id(0)] RulesActivationOutcome Outcome,
    [property: Id(1)] RulesActivation? Active,
    [property: Id(2)] IReadOnlyList<RulesProblem> Problems);

public enum RulesActivationOutcome
{
    Activated,
    AlreadyActive,
    Invalid,
    VersionReused,
}

/// <summary>One reason a rules file was refused, naming the key path (<c>dimensions.D3.max</c>).</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.rules-problem.v1")]
public sealed record RulesProblem([property: Id(0)] string Path, [property: Id(1)] string Message);
